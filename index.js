'use strict';
// Library entry: the n8n-independent core (signature, events, shaping, delivery decisions).
// n8n itself loads the nodes and credentials listed in package.json's "n8n" section, not this file.
module.exports = require('./dist/nodes/SipCaller/core/index.js');
