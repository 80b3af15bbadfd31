'use strict';
// autocannon's `onResponse` for the command mix (it loads each hook from a file of its own).
module.exports = require('./command-mix.cjs').onResponse;
