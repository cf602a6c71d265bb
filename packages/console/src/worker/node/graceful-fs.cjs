// fs and graceful-fs for the dependencies in the worker (the xlsx reader and its unzipper, tmp): the in-memory file system object itself, whole and patchable.
module.exports = require('memfs').fs;
