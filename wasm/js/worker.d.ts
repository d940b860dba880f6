// civiqr/worker.js is the Scanner's module Worker script: it is loaded with
// `new Worker(url, {type: "module"})`, not imported, and exports nothing.
export {};
