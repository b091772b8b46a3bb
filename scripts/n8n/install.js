#!/usr/bin/env node
'use strict';
// Warm the cache: install Node 24 and n8n (see harness.js). Safe to run again: a
// completed install is detected and skipped.
const { ensureN8n, log } = require('./harness');

const started = Date.now();
ensureN8n()
	.then((paths) => {
		log(
			`ready in ${((Date.now() - started) / 1000).toFixed(1)} s: n8n@${paths.version} in ${paths.n8nDir}`,
		);
	})
	.catch((error) => {
		log(`install failed: ${error.message}`);
		process.exitCode = 1;
	});
