#!/usr/bin/env node
// The published CLI entry: runs the built CLI (src/cli/main.ts, bundled to dist/ by tsdown).
import '../dist/cli/main.mjs';
