#!/usr/bin/env node
/*
 * Syntax lint of docker/Dockerfile with npm dockerfile-utils (the validator behind common Dockerfile editors):
 * unknown instructions or flags, missing arguments, bad ports, malformed JSON forms, deprecated instructions.
 * Our own rules (non-root, HEALTHCHECK, heap sizing ...) are in check_docker.py. Run by scripts/test-deploy.sh:
 *   NODE_PATH=k8s/test/node_modules node docker/test/lint-dockerfile.js docker/Dockerfile
 * Prints a PASS or FAIL line; exits 1 on any error or warning.
 */
'use strict';

const fs = require('fs');
const { validate } = require('dockerfile-utils');

// Diagnostics carry the Language Server Protocol's severities: 1 error, 2 warning, 3 information, 4 hint.
const LSP_ERROR = 1;
const LSP_WARNING = 2;

const file = process.argv[2] || 'docker/Dockerfile';
const name = `Dockerfile lint (dockerfile-utils): ${file}`;
try {
  const problems = validate(fs.readFileSync(file, 'utf8'), {})
    .filter((d) => d.severity === LSP_ERROR || d.severity === LSP_WARNING)
    .map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
  if (problems.length === 0) {
    console.log(`PASS ${name}`);
  } else {
    console.log(`FAIL ${name}: ${problems.join('; ')}`);
    process.exit(1);
  }
} catch (e) {
  console.log(`FAIL ${name}: ${e.message}`);
  process.exit(1);
}
