// The Gradient Lab page's entry: starts the training worker (the worker bundle next to this one)
// first, so it loads while the panel is built, then builds the panel.
import './lab.css';
import { LabApp } from './app';
import { Training } from './training';

const training = new Training();
const worker = training.start(new URL('./worker.js', import.meta.url));
const root = document.getElementById('lab');
if (root) new LabApp(root, training).start(worker);
