// The Gradient Lab page's entry: builds the panel and starts its training worker, which is the
// worker bundle next to this one.
import './lab.css';
import { LabApp } from './app';

const root = document.getElementById('lab');
if (root) {
  const app = new LabApp(root);
  void app.start(new URL('./worker.js', import.meta.url));
}
