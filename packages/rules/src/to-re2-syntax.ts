/**
 * Translates a `matches` pattern, written in JavaScript regular expression syntax (no flags), into the
 * RE2 syntax of the linear-time engine, so that every pattern that was accepted before means the same
 * thing. The two syntaxes disagree on more than the unsupported features: RE2's `.` and `\s` are
 * narrower, `[[:alpha:]]` and `\pL` are classes there but literal text in JavaScript, `[]` is an empty
 * class in JavaScript and the start of a class in RE2. So every character class, `.` included, is
 * emitted as explicit code point ranges, and every literal as a plain letter or digit or as `\x{…}`.
 *
 * The pattern must already be valid JavaScript syntax (`new RegExp` accepted it): this scanner relies
 * on that and does not check brackets or quantifier placement again.
 */

/** Where and why a pattern cannot run on the linear-time engine. */
export interface UnsupportedSyntax {
  /** 0-based offset into the pattern. */
  offset: number;
  reason: string;
}

export type Re2Translation = { re2: string } | { unsupported: UnsupportedSyntax };

/** RE2 refuses larger repetition counts; saying so at the count is clearer than the engine's message. */
export const MAX_REPEAT_COUNT = 1000;

const MAX_CODE_POINT = 0x10ffff;

/** Sorted, non-overlapping, inclusive code point ranges. */
type Ranges = ReadonlyArray<readonly [number, number]>;

const DIGIT: Ranges = [[0x30, 0x39]];
const WORD: Ranges = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
];
// JavaScript's \s: WhiteSpace and LineTerminator, wider than RE2's [\t\n\f\r ].
const SPACE: Ranges = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
// JavaScript's `.` without the s flag: anything but a line terminator (RE2's `.` only excludes \n).
const LINE_TERMINATORS: Ranges = [
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
];

function normalise(ranges: Array<readonly [number, number]>): Array<[number, number]> {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function complement(ranges: Ranges): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let next = 0;
  for (const [lo, hi] of normalise([...ranges])) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

function hex(cp: number): string {
  return `\\x{${cp.toString(16)}}`;
}

function literal(cp: number): string {
  const ch = String.fromCodePoint(cp);
  return /^[A-Za-z0-9]$/.test(ch) ? ch : hex(cp);
}

function classOf(ranges: Ranges): string {
  const set = normalise([...ranges]);
  if (set.length === 0) return `[^${hex(0)}-${hex(MAX_CODE_POINT)}]`;
  return `[${set.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join("")}]`;
}

const CLASS_ESCAPES: Record<string, Ranges> = {
  d: DIGIT,
  D: complement(DIGIT),
  w: WORD,
  W: complement(WORD),
  s: SPACE,
  S: complement(SPACE),
};

const CONTROL_ESCAPES: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13 };

const LOOKAROUND: ReadonlyArray<readonly [string, string]> = [
  ["(?=", "lookahead (?=…) is not supported: matches runs in linear time, without lookaround"],
  ["(?!", "negative lookahead (?!…) is not supported: matches runs in linear time, without lookaround"],
  ["(?<=", "lookbehind (?<=…) is not supported: matches runs in linear time, without lookaround"],
  ["(?<!", "negative lookbehind (?<!…) is not supported: matches runs in linear time, without lookaround"],
];

const BACKREFERENCE =
  "backreferences (\\1, \\k<name>) are not supported: matches runs in linear time, which rules them out";
const OCTAL = "octal escapes are not supported: write \\xHH or \\uHHHH";
const PROPERTY = "\\p and \\P are not supported: name the characters in a class, e.g. [A-Za-zÀ-ÿ]";
const LONE_CONTROL = "\\c must be followed by a letter: write \\\\ for a backslash";

class Unsupported {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

/** One escape or character: a code point, or a set for \d \w \s and their negations. */
type Atom = { cp: number } | { set: Ranges };

/**
 * Reads the escape at `at` (the backslash). Inside a class `\b` is a backspace and `\-` a hyphen;
 * outside, `\b` and `\B` are assertions, handled by the caller.
 */
function readEscape(p: string, at: number, inClass: boolean): { atom: Atom; end: number } {
  const c = p[at + 1]!;
  const set = CLASS_ESCAPES[c];
  if (set !== undefined) return { atom: { set }, end: at + 2 };
  const control = CONTROL_ESCAPES[c];
  if (control !== undefined) return { atom: { cp: control }, end: at + 2 };
  if (c === "b" && inClass) return { atom: { cp: 8 }, end: at + 2 };
  if (c === "0" && !/[0-9]/.test(p[at + 2] ?? "")) return { atom: { cp: 0 }, end: at + 2 };
  if (/[0-9]/.test(c)) {
    throw new Unsupported(at, inClass || c === "0" ? OCTAL : BACKREFERENCE);
  }
  if (c === "k" && !inClass) throw new Unsupported(at, BACKREFERENCE);
  if (c === "p" || c === "P") throw new Unsupported(at, PROPERTY);
  if (c === "c") {
    const letter = p[at + 2] ?? "";
    if (/[A-Za-z]/.test(letter) || (inClass && /[0-9_]/.test(letter))) {
      return { atom: { cp: letter.charCodeAt(0) % 32 }, end: at + 3 };
    }
    throw new Unsupported(at, LONE_CONTROL);
  }
  if (c === "x" && /^[0-9A-Fa-f]{2}$/.test(p.slice(at + 2, at + 4))) {
    return { atom: { cp: Number.parseInt(p.slice(at + 2, at + 4), 16) }, end: at + 4 };
  }
  if (c === "u" && /^[0-9A-Fa-f]{4}$/.test(p.slice(at + 2, at + 6))) {
    const unit = Number.parseInt(p.slice(at + 2, at + 6), 16);
    // A surrogate pair written as two escapes is one character, as it is in the input.
    const low = /^\\u([dD][c-fC-F][0-9A-Fa-f]{2})/.exec(p.slice(at + 6));
    if (unit >= 0xd800 && unit <= 0xdbff && low) {
      const lowUnit = Number.parseInt(low[1]!, 16);
      return { atom: { cp: (unit - 0xd800) * 0x400 + (lowUnit - 0xdc00) + 0x10000 }, end: at + 12 };
    }
    return { atom: { cp: unit }, end: at + 6 };
  }
  // Any other escaped character stands for itself (`\.`, `\/`, and in JavaScript also `\a` or `\z`).
  const cp = p.codePointAt(at + 1)!;
  return { atom: { cp }, end: at + 1 + String.fromCodePoint(cp).length };
}

function readClassAtom(p: string, at: number): { atom: Atom; end: number } {
  if (p[at] === "\\") return readEscape(p, at, true);
  const cp = p.codePointAt(at)!;
  return { atom: { cp }, end: at + String.fromCodePoint(cp).length };
}

/** Reads a class starting at `at` (the `[`) into explicit ranges. */
function readClass(p: string, at: number): { re2: string; end: number } {
  let i = at + 1;
  const negated = p[i] === "^";
  if (negated) i++;
  const ranges: Array<readonly [number, number]> = [];
  const add = (atom: Atom) => {
    if ("set" in atom) ranges.push(...atom.set);
    else ranges.push([atom.cp, atom.cp]);
  };
  while (p[i] !== "]") {
    const first = readClassAtom(p, i);
    i = first.end;
    if (p[i] === "-" && p[i + 1] !== "]" && i + 1 < p.length) {
      const second = readClassAtom(p, i + 1);
      i = second.end;
      if ("cp" in first.atom && "cp" in second.atom) {
        ranges.push([first.atom.cp, second.atom.cp]);
      } else {
        // A range with a class escape at either end is, in JavaScript, the two ends and a hyphen.
        add(first.atom);
        add(second.atom);
        ranges.push([0x2d, 0x2d]);
      }
      continue;
    }
    add(first.atom);
  }
  return { re2: classOf(negated ? complement(ranges) : ranges), end: i + 1 };
}

const QUANTIFIER = /^\{(\d+)(?:,(\d*))?\}/;

function translate(p: string): string {
  let out = "";
  let i = 0;
  while (i < p.length) {
    const c = p[i]!;
    if (c === "\\") {
      if (p[i + 1] === "b" || p[i + 1] === "B") {
        out += p.slice(i, i + 2);
        i += 2;
        continue;
      }
      const { atom, end } = readEscape(p, i, false);
      out += "cp" in atom ? literal(atom.cp) : classOf(atom.set);
      i = end;
    } else if (c === "[") {
      const { re2, end } = readClass(p, i);
      out += re2;
      i = end;
    } else if (c === "(") {
      const look = LOOKAROUND.find(([open]) => p.startsWith(open, i));
      if (look) throw new Unsupported(i, look[1]);
      if (p.startsWith("(?:", i)) {
        out += "(?:";
        i += 3;
      } else if (p.startsWith("(?<", i)) {
        // A named group: the name only matters to backreferences, which are refused.
        out += "(?:";
        i = p.indexOf(">", i) + 1;
      } else {
        out += "(?:";
        i++;
      }
    } else if (c === "{") {
      const q = QUANTIFIER.exec(p.slice(i));
      if (q) {
        const counts = [q[1], q[2]].filter((n) => n !== undefined && n !== "").map(Number);
        if (counts.some((n) => n > MAX_REPEAT_COUNT)) {
          throw new Unsupported(i, `a repetition count above ${MAX_REPEAT_COUNT} is not supported`);
        }
        out += q[0];
        i += q[0].length;
      } else {
        out += hex(0x7b);
        i++;
      }
    } else if (c === ".") {
      out += classOf(complement(LINE_TERMINATORS));
      i++;
    } else if ("^$|)*+?".includes(c)) {
      out += c;
      i++;
    } else {
      const cp = p.codePointAt(i)!;
      out += literal(cp);
      i += String.fromCodePoint(cp).length;
    }
  }
  return out;
}

/** The RE2 form of a valid JavaScript pattern, or where and why the engine cannot run it. */
export function toRe2Syntax(pattern: string): Re2Translation {
  try {
    return { re2: translate(pattern) };
  } catch (e) {
    if (e instanceof Unsupported) return { unsupported: { offset: e.offset, reason: e.reason } };
    throw e;
  }
}
