// The Gradient Lab page's entry: starts the training worker (the worker bundle next to this one)
// first, and builds the panel once the worker is on its way (or after a short wait at most), so the
// worker reads its script while the panel is built and painted.
import './lab.css';
import { LabApp } from './app';
import { Training } from './training';

performance.mark('lab:script');
const WORKER_WAIT_MS = 300;
const training = new Training();
const worker = training.start(new URL('./worker.js', import.meta.url));
const root = document.getElementById('lab');
if (root) {
  const build = () => new LabApp(root, training).start(worker);
  void Promise.race([worker, new Promise((resolve) => setTimeout(resolve, WORKER_WAIT_MS))]).then(build, build);
}
