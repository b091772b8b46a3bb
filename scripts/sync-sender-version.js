#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm version` runs this (package.json "version" script) after bumping the node package: the
 * sample sender gets the same version, so one tag publishes both (.github/workflows/publish.yml).
 */
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const senderFile = path.join(root, 'tools', 'sip-caller-send', 'package.json');
const sender = JSON.parse(fs.readFileSync(senderFile, 'utf8'));
sender.version = version;
fs.writeFileSync(senderFile, `${JSON.stringify(sender, null, '\t')}\n`);
