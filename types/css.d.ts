// Style sheets imported for their side effect: esbuild bundles them into the page's main.css.
declare module '*.css';
