'use strict';
// Library entry: the n8n-independent core (signature, events, Simplified rows, delivery decisions);
// exactly the names the README's "Library use" documents.
// n8n itself loads the nodes and credentials listed in package.json's "n8n" section, not this file.
module.exports = require('./dist/nodes/SipCaller/core/index.js');
