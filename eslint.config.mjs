// Lints the JavaScript that Nabla's HTML pages inline (src/Nabla.App/Reports/Assets): `npm ci && npm run lint`.
// The test ReportAssetLintTests runs the same check and fails on any message.
import fs from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import globals from 'globals';

const assets = 'src/Nabla.App/Reports/Assets';

// ReportAssets.cs joins the training report's parts, in file-name order, into one script and one function scope:
const head = "(function () {\n'use strict';\n";
const tail = '})();\n';
const isPart = name => /^training-report-\d+-[\w-]+\.js$/.test(name);
const lineCount = text => text.split('\n').length - 1;

// So each part is linted inside that whole script: a helper another part declares is defined, and one that no part
// calls is unused. Only the messages about the part itself are kept, at its own line numbers.
const spans = new Map();
const trainingReport = {
  meta: { name: 'nabla-training-report' },
  preprocess(text, filename) {
    const dir = path.dirname(filename), self = path.basename(filename);
    let script = head, first = 0;
    for (const part of fs.readdirSync(dir).filter(isPart).sort()) {
      if (part === self) first = lineCount(script) + 1;
      script += part === self ? text : fs.readFileSync(path.join(dir, part), 'utf8');
    }
    spans.set(filename, { first, last: first + lineCount(text) - 1 });
    return [{ text: script + tail, filename: 'training-report.js' }];
  },
  postprocess(messages, filename) {
    const { first, last } = spans.get(filename);
    const inside = line => line >= first && line <= last;
    const local = line => Math.min(Math.max(line - first + 1, 1), last - first + 1);
    // A parse error elsewhere stops this part's lint too, so it is kept, saying where it is.
    return messages[0]
      .filter(m => m.fatal || inside(m.line))
      .map(m => ({
        ...m,
        message: inside(m.line) ? m.message : `${m.message} (line ${m.line} of the joined script, in another part)`,
        line: local(m.line),
        endLine: m.endLine === undefined ? undefined : local(m.endLine),
      }));
  },
};

export default [
  { ignores: ['**/bin/**', '**/obj/**', 'node_modules/**'] },
  {
    files: [`${assets}/training-report-*.js`],
    processor: trainingReport,
  },
  {
    files: [`${assets}/**/*.js`],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'script',
      globals: { ...globals.browser },
    },
    rules: {
      ...js.configs.recommended.rules,
      // Beyond the recommended set, what the pages' code already keeps everywhere: strict mode, no names leaked
      // into the page's global scope, const where nothing reassigns, no var, and no == with its conversions.
      strict: ['error', 'function'],
      'no-implicit-globals': 'error',
      'prefer-const': 'error',
      'no-var': 'error',
      eqeqeq: 'error',
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
];
