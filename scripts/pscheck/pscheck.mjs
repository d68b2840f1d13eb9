// Reads PowerShell scripts with a real PowerShell grammar (tree-sitter-powershell, run by
// web-tree-sitter under Node.js) and checks what a grammar alone cannot.
//
//   node pscheck.mjs [--evidence VALUES.txt] FILE.ps1...
//
// One line per problem, "FILE:LINE:COLUMN: KIND: text" (line and column from 1), on stdout;
// exit 0 when there is none, 1 when there are, 2 when the checker itself cannot run.
// Kinds:
//   syntax     an ERROR or MISSING node: the grammar could not read the script there
//   escape     a backtick escape (`t, `n, ...) inside a single-quoted string, where PowerShell
//              keeps both characters (about_Quoting_Rules: single-quoted strings are verbatim)
//   evidence   a value from VALUES.txt (one a line: the SIDs, thumbprints, computer names taken
//              from evidence) somewhere other than inside a single-quoted literal or a comment,
//              where PowerShell would expand or run it
//   strict     a script that changes the machine without Set-StrictMode -Version 2 (or later) and
//              an explicit $ErrorActionPreference before its first change: without strict mode an
//              unset variable is an empty string, and "$root\$Sid" becomes the whole ProfileList
//   elevation  a command that needs an elevated PowerShell and is not behind the elevation check
//              (inside "if ($isAdmin) {...}" or after "if (-not (Test-...Admin)) { ... exit }")
//   dry-run    a script with an -Apply switch (the fix scripts) that changes the machine before its
//              "if (-not $Apply) { ... return }": a run without -Apply must only look
//   ignored    (not a problem) a known grammar false positive in KNOWN_FALSE_POSITIVES, printed
//              so it is never silent
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Parser, Language } from 'web-tree-sitter';

const here = dirname(fileURLToPath(import.meta.url));

// Grammar false positives, each with the smallest script that shows it, why it is valid
// PowerShell, and a rewrite into an equivalent form the grammar reads. An ERROR or MISSING node is
// put down to one only when applying the rewrite to the node's lines makes every error there go
// away, so a real error on the same lines still shows. Listed in scripts/pscheck/README.md.
const KNOWN_FALSE_POSITIVES = [
  {
    name: 'bare-word list argument',
    minimal: 'Write-Output x, y',
    why: 'a comma-separated list of bare words is one array argument in argument mode (the form '
      + "Microsoft's own Select-Object examples use: Select-Object -Property ProcessName, Id, WS); "
      + 'tree-sitter-powershell 0.26.4 reads a bare word (generic_token) next to a comma as an error',
    // Quotes the bare words of such a list (in argument mode x and 'x' are the same string),
    // outside strings and comments only.
    rewrite: (text) => outsideStrings(text, (code) => code.replace(
      /(?<![\w$@`.\\:\/-])([A-Za-z_][\w.]*)(?=\s*,)|(?<=,[ \t]*)([A-Za-z_][\w.]*)(?![\w(.\\:\/-])/g, (m) => `'${m}'`)),
  },
];

// Commands that change the machine (registry, services, ACLs, certificates, file attributes).
// Native programs are matched without ".exe" and, for reg, with their sub-command.
const CHANGES = new Set([
  'set-itemproperty', 'new-itemproperty', 'remove-itemproperty', 'rename-item', 'remove-item',
  'new-item', 'set-ciminstance', 'invoke-cimmethod', 'restart-service', 'stop-service',
  'start-service', 'set-service', 'set-acl', 'set-netfirewallrule', 'enable-netfirewallrule',
  'disable-netfirewallrule', 'new-selfsignedcertificate', 'import-pfxcertificate',
  'import-certificate', 'move-item', 'copy-item', 'icacls', 'takeown', 'regsvr32', 'sfc', 'dism',
  'attrib', 'reg import', 'reg delete', 'reg add', 'reg restore', 'certutil -repairstore',
]);
// Of those and others, the ones Windows refuses without elevation whatever they point at, and
// the ones that need it when they touch HKLM, LocalMachine stores or the system drive's folders.
const ALWAYS_ADMIN = new Set([
  'set-ciminstance', 'invoke-cimmethod', 'restart-service', 'stop-service', 'start-service',
  'set-service', 'set-netfirewallrule', 'enable-netfirewallrule', 'disable-netfirewallrule',
  'takeown', 'regsvr32', 'sfc', 'dism', 'reg restore', 'certutil -repairstore',
]);
const ADMIN_WHEN_MACHINE = new Set([
  'set-itemproperty', 'new-itemproperty', 'remove-itemproperty', 'rename-item', 'remove-item',
  'new-item', 'set-acl', 'icacls', 'attrib', 'reg import', 'reg delete', 'reg add',
  'new-selfsignedcertificate', 'import-pfxcertificate', 'import-certificate', 'move-item', 'copy-item',
  'reg save',
]);
// icacls and attrib only show unless told to change: these arguments make them change.
const ICACLS_CHANGES = /\s\/(grant|deny|remove|reset|restore|setowner|inheritance|setintegritylevel|substitute)\b/i;
const ATTRIB_CHANGES = /\s[+-][rashi]\b/i;
function changes(name, text) {
  if (!CHANGES.has(name)) return false;
  if (name === 'icacls') return ICACLS_CHANGES.test(text);
  if (name === 'attrib') return ATTRIB_CHANGES.test(text);
  return true;
}
const MACHINE = /HKLM|HKEY_LOCAL_MACHINE|LocalMachine|\$env:windir|\$env:SystemRoot|System32|\$env:ProgramFiles/i;
// How the scripts test for elevation.
const ELEVATION_TEST = /\$isAdmin\b|Test-\w*Admin\b|IsInRole\(/i;
// The escapes PowerShell expands in double-quoted strings (about_Special_Characters).
const ESCAPE = /`[0abefnrtuv]/;

function usage(msg) {
  process.stderr.write(`pscheck: ${msg}\nusage: node pscheck.mjs [--evidence VALUES.txt] FILE.ps1...\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let evidence = [];
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--evidence') {
    if (i + 1 >= args.length) usage('--evidence needs a file');
    evidence = readFileSync(args[++i], 'utf8').split(/\r?\n/).filter((v) => v.length > 0);
  } else if (args[i].startsWith('--')) {
    usage(`unknown option ${args[i]}`);
  } else {
    files.push(args[i]);
  }
}
if (files.length === 0) usage('no files given');

await Parser.init();
const language = await Language.load(join(here, 'node_modules', 'tree-sitter-powershell', 'tree-sitter-powershell.wasm'));
const parser = new Parser();
parser.setLanguage(language);

let problems = 0;
for (const file of files) {
  let text = readFileSync(file, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = ' ' + text.slice(1); // a BOM: keep columns where they are
  let tree = parser.parse(text);
  const report = (node, kind, msg) => {
    problems += kind === 'ignored' ? 0 : 1;
    const p = node.startPosition;
    process.stdout.write(`${file}:${p.row + 1}:${p.column + 1}: ${kind}: ${msg}\n`);
  };
  // The other checks read the tree of the script as the grammar reads it once its false positives
  // are rewritten (an ERROR node hides the statements around it); lines stay where they are.
  for (const fp of syntax(tree.rootNode, text, report)) {
    text = rewritten(fp, text);
    tree = parser.parse(text);
  }
  escapes(tree.rootNode, report);
  evidenceOutsideLiterals(tree.rootNode, text, report);
  strictAndElevation(tree.rootNode, report);
}
process.exit(problems === 0 ? 0 : 1);

function* walk(node) {
  yield node;
  for (let i = 0; i < node.childCount; i++) yield* walk(node.child(i));
}

function excerpt(s) {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? one.slice(0, 57) + '...' : one;
}

function problemNodes(root) {
  return [...walk(root)].filter((n) => n.isMissing || n.type === 'ERROR');
}

// The script with a known false positive's rewrite applied to every line (the grammar's error
// recovery can make one ERROR node of several such lists, or of the statement after one).
function rewritten(fp, text) {
  return fp.rewrite(text);
}

// text with edit applied to each stretch of code outside string literals, here-strings and
// comments. A rough scanner (no $(...) inside strings), enough to keep a rewrite out of strings.
function outsideStrings(text, edit) {
  let out = '', code = '', i = 0;
  const flush = () => { out += edit(code); code = ''; };
  const skipTo = (end, from) => { const j = text.indexOf(end, from); return j < 0 ? text.length : j + end.length; };
  while (i < text.length) {
    const c = text[i], next = text[i + 1];
    let j = -1;
    if (c === '@' && (next === "'" || next === '"') && /^\r?\n/.test(text.slice(i + 2, i + 4))) {
      j = skipTo('\n' + next + '@', i + 2);
    } else if (c === "'") {
      j = i + 1;
      for (;;) { j = skipTo("'", j); if (text[j] === "'") j++; else break; }
    } else if (c === '"') {
      j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '`' ? 2 : 1;
      j++;
    } else if (c === '<' && next === '#') {
      j = skipTo('#>', i + 2);
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      j = skipTo('\n', i) - 1;
    }
    if (j < 0) { code += c; i++; continue; }
    flush();
    out += text.slice(i, Math.min(j, text.length));
    i = j;
  }
  flush();
  return out;
}

// The known false positive that explains the problem node n, if any (see KNOWN_FALSE_POSITIVES):
// the rewritten script must differ and have no error left on n's lines.
function knownFalsePositive(n, text) {
  const first = n.startPosition.row, last = n.endPosition.row;
  for (const fp of KNOWN_FALSE_POSITIVES) {
    const again = rewritten(fp, text);
    if (again === text) continue;
    const left = problemNodes(parser.parse(again).rootNode)
      .filter((p) => p.startPosition.row <= last && p.endPosition.row >= first);
    if (left.length === 0) return fp;
  }
  return null;
}

// Reports the syntax errors; returns the false positives it put errors down to.
function syntax(root, text, report) {
  const seen = new Set();
  for (const n of problemNodes(root)) {
    const known = knownFalsePositive(n, text);
    if (known) {
      seen.add(known);
      report(n, 'ignored', `grammar false positive "${known.name}" (${known.minimal}): ${known.why}`);
    } else if (n.isMissing) {
      report(n, 'syntax', `MISSING ${n.type} (the grammar expected it here)`);
    } else {
      report(n, 'syntax', `ERROR: the grammar cannot read "${excerpt(n.text)}"`);
    }
  }
  return [...seen];
}

function escapes(root, report) {
  for (const n of walk(root)) {
    // Single-line single-quoted strings only: a single-quoted here-string in these scripts holds
    // code for another script (the fix scripts' undo text), which is checked as that script.
    if (n.type === 'verbatim_string_characters') {
      const m = ESCAPE.exec(n.text);
      if (m) {
        report(n, 'escape', `${m[0]} inside the single-quoted string ${excerpt(n.text)} stays two characters; `
          + 'use a double-quoted string (or [char]9 for a tab)');
      }
    }
  }
}

function evidenceOutsideLiterals(root, text, report) {
  for (const value of evidence) {
    for (let i = text.indexOf(value); i >= 0; i = text.indexOf(value, i + 1)) {
      let n = root.descendantForIndex(i, i + value.length - 1);
      let inert = false;
      for (; n; n = n.parent) {
        // A single-quoted here-string is not expanded either: the fix scripts keep their undo
        // scripts' text in one (checked as those scripts on their own).
        if (['verbatim_string_characters', 'verbatim_here_string_characters', 'comment'].includes(n.type)) { inert = true; break; }
      }
      if (!inert) {
        report(root.descendantForIndex(i, i), 'evidence',
          `the evidence value ${excerpt(value)} is outside a single-quoted literal, where PowerShell would expand it`);
      }
    }
  }
}

// The command a `command` node runs, normalised: "set-itemproperty", "reg import", "icacls".
function commandName(cmd) {
  const nameNode = cmd.childForFieldName('command_name');
  if (!nameNode) return null;
  let name = nameNode.text.toLowerCase().replace(/^.*[\\/]/, '').replace(/\.exe$/, '');
  const elements = cmd.childForFieldName('command_elements');
  const first = elements ? elements.text.trim().split(/\s+/)[0] : '';
  if ((name === 'reg' || name === 'certutil') && first) name += ' ' + first.toLowerCase();
  return name;
}

// String variables assigned a literal ($root = 'HKLM:\...'), each with where it is assigned, so that
// an argument "$root\$Sid" is known to point into HKLM: a variable stands for its nearest literal
// assignment before the command (the fix scripts reuse names such as $k from step to step).
function literalVariables(root) {
  const vars = [];
  for (const n of walk(root)) {
    if (n.type === 'assignment_expression') {
      const m = /^\$(\w+)\s*=\s*'([^']*)'\s*$/.exec(n.text);
      if (m) vars.push({ name: m[1].toLowerCase(), value: m[2], at: n.startIndex });
    }
  }
  return vars;
}

function substitute(text, at, vars) {
  return text.replace(/\$(\w+)/g, (whole, name) => {
    let best = null;
    for (const v of vars) if (v.name === name.toLowerCase() && v.at < at && (!best || v.at > best.at)) best = v;
    return best ? best.value : whole;
  });
}

function strictAndElevation(root, report) {
  const vars = literalVariables(root);
  const top = root.namedChildren.find((c) => c.type === 'statement_list');
  const topStatements = top ? top.namedChildren : [];
  // Where, at the top level, strict mode, the error preference and the elevation guard start.
  let strictAt = Infinity, preferenceAt = Infinity, guardAt = Infinity, applyAt = -1;
  for (const s of topStatements) {
    const t = s.text;
    const sm = /^Set-StrictMode\s+-Version\s+(\S+)/i.exec(t);
    if (sm && strictAt === Infinity && (sm[1].toLowerCase() === 'latest' || parseFloat(sm[1]) >= 2)) strictAt = s.startIndex;
    if (/^\$ErrorActionPreference\s*=/i.test(t) && preferenceAt === Infinity) preferenceAt = s.startIndex;
    if (s.type === 'if_statement' && applyAt < 0 && /^-not\s+\$Apply\s*$/i.test((s.childForFieldName('condition') || s).text.trim())) {
      applyAt = s.startIndex;
    }
    if (s.type === 'if_statement' && guardAt === Infinity) {
      const cond = s.childForFieldName('condition');
      const body = s.namedChildren.find((c) => c.type === 'statement_block');
      if (cond && /^-not\b/i.test(cond.text.trim()) && ELEVATION_TEST.test(cond.text) && body
          && /\b(exit|throw|return)\b/i.test(body.text)) {
        guardAt = s.startIndex;
      }
    }
  }
  let strictReported = false;
  for (const n of walk(root)) {
    if (n.type !== 'command') continue;
    const name = commandName(n);
    if (!name) continue;
    const change = changes(name, n.text);
    if (change && !strictReported && (n.startIndex < strictAt || n.startIndex < preferenceAt)) {
      strictReported = true;
      report(n, 'strict', `${name} changes the machine, but the script has not set `
        + (n.startIndex < strictAt ? 'Set-StrictMode -Version 2 (an unset variable would be an empty string)' : '')
        + (n.startIndex < strictAt && n.startIndex < preferenceAt ? ' and ' : '')
        + (n.startIndex < preferenceAt ? '$ErrorActionPreference (whether a failed step stops)' : '')
        + ' at its top level before it');
    }
    if (change && n.startIndex < applyAt) {
      report(n, 'dry-run', `${excerpt(n.text)} changes the machine before the script's "if (-not $Apply)": a run without -Apply must change nothing`);
    }
    const args = substitute(n.text, n.startIndex, vars);
    const needsAdmin = ALWAYS_ADMIN.has(name) || (ADMIN_WHEN_MACHINE.has(name) && change && MACHINE.test(args));
    if (!needsAdmin || n.startIndex > guardAt) continue;
    let guarded = false;
    for (let a = n.parent; a; a = a.parent) {
      if (a.type === 'if_statement') {
        const cond = a.childForFieldName('condition');
        if (cond && !/^-not\b/i.test(cond.text.trim()) && ELEVATION_TEST.test(cond.text)) { guarded = true; break; }
      }
    }
    if (!guarded) {
      report(n, 'elevation', `${excerpt(n.text)} needs an elevated PowerShell and is not behind the elevation check`);
    }
  }
}
