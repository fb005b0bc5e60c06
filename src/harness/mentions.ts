import type { Code, Heading, List, ListItem, Nodes, Paragraph, Parents, Root } from "mdast";
import { classifySpan, isPlaceholderName, type Shape } from "./mention-shape.js";
import { endOffset, plainText, startOffset } from "./markdown.js";
import type { LineIndex } from "../shared/text.js";
import { joinPath } from "../shared/text.js";
import type { Hedge, Mention } from "./types.js";

/** A mention with its offset in the file, so the caller can give it to the rule it sits in. */
export interface LocatedMention extends Mention {
  offset: number;
}

/** What a harness text names: the claims checks judge, and the hedged mentions they do not. */
export interface ReadMentions {
  mentions: LocatedMention[];
  /** Examples, prohibitions, old names: each with its `hedge` (SPEC 5, "Hedged mentions"). */
  hedged: LocatedMention[];
}

export interface MentionOptions {
  text: string;
  lines: LineIndex;
  /** Read `@path` imports in prose (Claude Code and Gemini memory files). */
  imports: boolean;
  /** Read fenced code blocks too (config `symbols.fenced`). */
  fenced: boolean;
}

/** What a lead-in or heading offers the names under it as: examples, plans, or things not to do. */
type Offer = "example" | "plan" | "prohibition";

interface WalkState {
  /** Folders that relative names resolve under: a list parent `src/`, a heading `(src/app/)`. */
  bases: string[];
  /** Inside something offered as an example, a plan or an anti-pattern ("Examples:", "When added:", "## Roadmap", "Bad:"). */
  offered: Offer | null;
  /** Under a lead-in that says its paths are not in git ("Runtime files (never committed):"). */
  untracked: boolean;
}

// ---------------------------------------------------------------------------------------------
// Cues that hold for a whole list, block or section

// "e.g.", "such as", "like", "Examples:": what follows is an illustration, not a claim about the code.
const EXAMPLE_MARKER = /(\be\.g\.?|\beg\.|\bfor example\b|\bfor instance\b|\bsuch as\b|\blike\b|\bexamples?\s*(?::|from\b|of\b)|\bsay\b|\bhypothetical)/i;
// "See `X` in `y.proto` for an example": the span is shown as an example, after the fact.
const EXAMPLE_AFTER = /\b(?:for|as)\s+(?:an?\s+)?(?:example|illustration|reference implementation)\b/i;
// Plans: "Workflows, when added:", "(planned)", "not yet": names of things that do not exist yet.
const FUTURE_MARKER =
  /\b(when added|once added|if added|when (?:it is|they are|you) add(?:ed)?|not yet|planned|upcoming|coming soon|tbd|will be added|to be (?:added|created|written)|in the future|future work)\b|\((?:future|planned|tbd|todo|wip)\)/i;
// Sections of plans or illustrations: "## Roadmap", "#### Examples:".
const PLANNED_HEADING = /\b(roadmap|future|planned|proposals?|ideas|backlog|todo|wishlist|not yet)\b/i;
const EXAMPLES_HEADING = /\bexamples?\b/i;
// Instructions to create a file name something that need not exist yet.
const CREATION_MARKER = /\b(create[sd]?|creating|generate[sd]?|generating|scaffold(?:s|ed|ing)?|named|called|produces?|emits?|add a new|new file)\b/i;
const SNIPPET_INTRODUCES_EXAMPLES = /(\bexamples?\b|\be\.g\.?|\bfor example\b|\bfor instance\b|\bhypothetical\b)[^.]*:?\s*$/i;
const LIST_INTRODUCES_EXAMPLES = /(\bexamples?\b|\be\.g\.?|\bfor example\b|\bsuch as\b|\blike\b|\bfor instance\b)[^.]*:?\s*$/i;
// Paths git does not hold: build output, runtime state, local secrets.
const UNTRACKED_MARKER =
  /\b(generated|auto-?generated|compil(?:e|es|ed|ing)|build output|not checked in|not committed|never committed|(?:do not|don'?t|never) commit|not tracked|untracked|git-?ignored|ignored by git|in \.gitignore|created (?:at|on) (?:runtime|first run|demand|startup)|at runtime|on first run|if (?:it|they) (?:does|do)(?:n'?t| not) exist|if missing|will be created|is created)\b/i;

// ---------------------------------------------------------------------------------------------
// Walking the document

/** The claims in a harness text: what the checks judge. */
export function extractMentions(tree: Root, options: MentionOptions): LocatedMention[] {
  return readMentions(tree, options).mentions;
}

/** The claims, and the hedged mentions beside them (kept for history to judge: a lapsed guard). */
export function readMentions(tree: Root, options: MentionOptions): ReadMentions {
  const found: Found = { mentions: [], hedged: [] };
  const sections = new Sections();
  tree.children.forEach((node, index) => {
    if (node.type === "heading") sections.enter(node);
    const lead = leadIn(tree.children[index - 1], node);
    const state: WalkState = { bases: sections.bases(), offered: sections.offered() ?? lead.offered, untracked: lead.untracked };
    visit(node, state, options, found);
  });
  return found;
}

/** Where the walk puts what it reads: claims in `mentions`, hedged mentions in `hedged`. */
interface Found {
  mentions: LocatedMention[];
  hedged: LocatedMention[];
}

/** The open headings: the folders they name (`## Frontend (web/app/)`) and whether they hold plans. */
class Sections {
  private readonly open: Array<{ depth: number; base: string | null; offered: Offer | null }> = [];

  enter(heading: Heading): void {
    while (this.open.length > 0 && this.open[this.open.length - 1]!.depth >= heading.depth) this.open.pop();
    const text = plainText(heading);
    const offered = PLANNED_HEADING.test(text) ? "plan" : EXAMPLES_HEADING.test(text) ? "example" : null;
    this.open.push({ depth: heading.depth, base: headingFolder(heading), offered });
  }

  bases(): string[] {
    return this.open.flatMap((section) => (section.base === null ? [] : [section.base]));
  }

  /** Inside "## Roadmap" (a plan) or "#### Examples:" (examples): names of things that need not exist. */
  offered(): Offer | null {
    const offers = this.open.flatMap((section) => (section.offered === null ? [] : [section.offered]));
    return offers.includes("plan") ? "plan" : (offers[0] ?? null);
  }
}

/**
 * What the paragraph just before a list says about all its items: "Examples:" or "Workflows,
 * when added:" make them illustrations; "Runtime config in `~/.app/` (never committed):" puts
 * their paths outside git.
 */
function leadIn(previous: Nodes | undefined, node: Nodes): { offered: Offer | null; untracked: boolean } {
  if ((node.type !== "list" && node.type !== "code") || previous?.type !== "paragraph") return { offered: null, untracked: false };
  const text = plainText(previous);
  // "Do it like this:" before a snippet shows the real way; before a list, "like" offers examples.
  const offersExamples = node.type === "code" ? SNIPPET_INTRODUCES_EXAMPLES.test(text) : LIST_INTRODUCES_EXAMPLES.test(text);
  const leadsIn = /:\s*$/.test(text);
  const offered = offersExamples ? "example" : leadsIn && FUTURE_MARKER.test(text) ? "plan" : leadsIn && ANTI_PATTERN.test(text) ? "prohibition" : null;
  const untracked = leadsIn && (UNTRACKED_MARKER.test(text) || /(^|[\s(`])(~\/|\/(?:home|Users|etc|var|tmp)\/)/.test(text));
  return { offered, untracked };
}

function visit(node: Nodes, state: WalkState, options: MentionOptions, found: Found): void {
  switch (node.type) {
    case "yaml":
    case "html":
    case "definition":
      return;
    case "code":
      if (options.fenced && state.offered === null) found.mentions.push(...fencedMentions(node, state, options));
      return;
    case "paragraph":
    case "heading":
    case "tableCell":
      phrasing(node, state, options, found);
      return;
    case "list":
      visitList(node, state, options, found);
      return;
    default:
      if ("children" in node) {
        const children = node.children as Nodes[];
        for (let i = 0; i < children.length; i++) {
          const child = children[i]!;
          visit(child, withLeadIn(state, children[i - 1], child), options, found);
        }
      }
  }
}

function withLeadIn(state: WalkState, previous: Nodes | undefined, node: Nodes): WalkState {
  const lead = leadIn(previous, node);
  return { ...state, offered: state.offered ?? lead.offered, untracked: state.untracked || lead.untracked };
}

function visitList(list: List, state: WalkState, options: MentionOptions, found: Found): void {
  for (const item of list.children) {
    const folder = listItemFolder(item);
    item.children.forEach((child, index) => {
      const nested = child.type === "list" && folder !== null;
      const bases = nested ? [...state.bases.map((b) => joinPath(b, folder) ?? folder), folder] : state.bases;
      visit(child, withLeadIn({ ...state, bases }, item.children[index - 1], child), options, found);
    });
  }
}

/** A list item that starts with a folder (`src/` or `` `src/` ``) is a base for its nested list. */
function listItemFolder(item: ListItem): string | null {
  const first = item.children[0];
  if (first?.type !== "paragraph") return null;
  const lead = first.children[0];
  if (!lead) return null;
  const text = lead.type === "inlineCode" ? lead.value : lead.type === "text" ? (lead.value.split(/\s/)[0] ?? "") : "";
  const folder = /^([\w.@-][\w.@/-]*)\/[:)]?$/.exec(text.replace(/[*_]/g, ""));
  return folder ? folder[1]! : null;
}

/** `## Frontend (src/app/)` or `` ## `src/app/` ``: the section's relative names live there. */
function headingFolder(heading: Heading): string | null {
  const text = plainText(heading);
  const match = /(?:^|[\s(`])((?:\.\/)?[\w.@-]+(?:\/[\w.@-]+)*)\/(?=[\s)`]|$)/.exec(text);
  if (!match) return null;
  return match[1]!.replace(/^\.\//, "");
}

// ---------------------------------------------------------------------------------------------
// Inline text: each code span read in its sentence

interface Sentence {
  /** The sentence so far; only its last characters once it is `overlong`. */
  text: string;
  lastSymbol: string | null;
  /** Longer than MAX_SENTENCE: its spans are not read (see spanMention). */
  overlong: boolean;
}

/**
 * How much of a sentence a span is read in. Real sentences are far shorter; a "sentence" of 100 KB
 * with thousands of spans (a generated line with no full stop) would otherwise be re-read whole for
 * each span. Spans further into one are not claims harness-lint judges: a miss, never a false alarm.
 */
const MAX_SENTENCE = 2_000;

/** Inline content: code spans, links and `@imports`, read left to right so context is known. */
function phrasing(node: Paragraph | Heading | Parents, state: WalkState, options: MentionOptions, found: Found): void {
  const sentence: Sentence = { text: "", lastSymbol: null, overlong: false };
  const walk = (parent: Parents, insideLink: boolean) => {
    for (const child of parent.children as Nodes[]) {
      if (child.type === "text") {
        if (options.imports) found.mentions.push(...importMentions(child.value, startOffset(child), endOffset(child), state, options));
        appendSentence(sentence, softWrapsJoined(child.value, options.text.charAt(endOffset(child))));
      } else if (child.type === "inlineCode") {
        if (!insideLink) spanMention(child.value, startOffset(child), endOffset(child), sentence, state, options, found);
        appendSentence(sentence, child.value);
      } else if (child.type === "link") {
        const linked = linkMention(child.url, startOffset(child), endOffset(child), state, options);
        if (linked) found.mentions.push(linked);
        walk(child, linked !== null);
      } else if (child.type === "break") {
        appendSentence(sentence, "\n");
      } else if ("children" in child) {
        walk(child as Parents, insideLink);
      }
    }
  };
  walk(node as Parents, false);
}

/**
 * A line break inside a paragraph is a soft wrap: Markdown reads it as a space, and hard-wrapped
 * prose ("Do NOT add a\n`X`", "(e.g.\n`X`)") keeps its sentence across it. A next line that
 * starts with a capital letter is read as a new sentence all the same: lines such as
 * "Build: `x`\nTest: `y`" are separate statements more often than a wrapped sentence starts a
 * line with a proper noun. `next`: the character after the text (the next node's first).
 */
function softWrapsJoined(text: string, next: string): string {
  return text.replace(/\n(\s*)/g, (whole, space: string, at: number) => {
    const following = text.charAt(at + whole.length) || next;
    return /[A-Z]/.test(following) ? whole : ` ${space.replace(/\n/g, " ")}`;
  });
}

function appendSentence(sentence: Sentence, text: string): void {
  const from = sentence.text.length;
  sentence.text += text;
  // Keep only the current sentence: abbreviations such as "e.g." do not end one.
  const boundary = lastBoundary(sentence.text, from);
  if (boundary !== -1) {
    sentence.text = sentence.text.slice(boundary + 1);
    sentence.lastSymbol = null;
    sentence.overlong = false;
  }
  if (sentence.text.length > MAX_SENTENCE) {
    sentence.overlong = true;
    // What finding the next boundary needs: the last few characters.
    sentence.text = sentence.text.slice(-ABBREVIATION_REACH);
  }
}

const ABBREVIATION = /\b(e\.g|i\.e|etc|vs|cf)\./gi;
/** Far enough back for an abbreviation ending in the appended text, and the character before it. */
const ABBREVIATION_REACH = 8;

/**
 * The last sentence end in `text` (". ", "! ", "? " or a line break, the full stop of "e.g."
 * and the like not counting), looking only at what appending from `from` on can have made one:
 * the text before it had none. Linear in the appended text, where re-reading it all was not.
 */
export function lastBoundary(text: string, from: number): number {
  const earliest = Math.max(0, from - 1);
  const abbreviationDots = new Set<number>();
  ABBREVIATION.lastIndex = Math.max(0, from - ABBREVIATION_REACH);
  for (let match = ABBREVIATION.exec(text); match !== null; match = ABBREVIATION.exec(text)) {
    for (let i = match.index; i < match.index + match[0].length; i++) if (text[i] === ".") abbreviationDots.add(i);
  }
  for (let i = text.length - 1; i >= earliest; i--) {
    const c = text[i];
    if (c === "\n") return i;
    if ((c === "." || c === "!" || c === "?") && text[i + 1] === " " && !abbreviationDots.has(i)) return i;
  }
  return -1;
}

// Hedges: words that say the rule names something it does not claim exists now (SPEC 5, "Hedged
// mentions"). Each is kept with its hedge, for history to judge (a guard that lapsed), not checked.
const OLD_KINDS = "names?|apis?|class(?:es)?|functions?|methods?|helpers?|modules?|constants?|types?|hooks?|files?|paths?|folders?|directory|directories|locations?";
// The rule names a former name on purpose: "formerly `X`", "`X` was renamed", "replaces `X`",
// "never reintroduce `X`" (it knows the name is gone).
const FORMER_BEFORE = new RegExp(
  `\\b(formerly|previously|used to be|renamed from|moved from|migrated from|reintroduc(?:e|es|ed|ing)|bring(?:ing)? back|re-?add(?:s|ed|ing)?|replac(?:es|ed|ing)(?!\\s+(?:by|with))|(?:old|former|previous|removed)\\s+(?:${OLD_KINDS}))\\b|\\brenamed\\b(?!.*\\bto\\b)|\\b(?:removed|deleted|dead|former|formerly|previous|previously|old|older)\\s*$`,
  "i",
);
const FORMER_AFTER =
  /^[\s`*_]*(?:\((?:removed|old|gone)\)|,?\s*(?:is|was|are|were|has been|have been|got)\s+(?:now\s+|since\s+|long\s+)?(?:removed|deleted|renamed|replaced|retired|gone|dead|moved|the\s+(?:old|former|previous|legacy)\s+name))/i;
// The rule warns the agent off an old name: "the legacy `X`", "`X` (deprecated)".
const DEPRECATED_BEFORE = new RegExp(`\\b(?:legacy|deprecated|obsolete)\\s+(?:${OLD_KINDS})\\b|\\b(?:deprecated|legacy|obsolete)\\s*$`, "i");
const DEPRECATED_AFTER = /^[\s`*_]*(?:\((?:deprecated|legacy|obsolete)\)|,?\s*(?:is|was|are|were|has been|have been|got)\s+(?:now\s+|since\s+|long\s+)?(?:deprecated|obsolete))/i;
// "Never use `eval()`", "avoid `useEffect`": the code is right not to contain the name.
const PROHIBITION =
  /\b(?:(?:never|don'?t|do not|must not|mustn'?t|should not|shouldn'?t|no longer|stop)\s+(?:\w+\s+)?(?:use|using|call|calling|import|importing|add|adding|reintroduce|introduce|write|writing|depend on|rely on|reference)|avoid(?:s|ing)?|ban(?:ned)?|forbid(?:den)?|disallow(?:ed)?)\b/i;
// "instead of `X`", "`A`, not `X`", "prefer `A` over `X`": the rule steers away from the name.
const AVOIDED_BEFORE = /\b(?:instead of|rather than|in place of)\b|\b(?:not|no|without)\s*$|\bprefer\b.*\bover\s*$/i;
// "Never edit `src/gen/`": a claim that the name is there, guarded from change.
const GUARD_BEFORE =
  /\b(?:never|don'?t|do not|must not|mustn'?t|should not|shouldn'?t|cannot|can'?t)\s+(?:\w+\s+)?(?:edit|editing|modify|modifying|touch|touching|change|changing|alter|overwrite|hand-edit|rewrite|delete|remove|rename|move)\b/i;
// Where a new instruction starts inside a sentence: after ";", a dash, or ", use ...".
const CLAUSE_BREAK = /;|\s[—–-]\s|,\s*(?=(?:use|prefer|call|import|run|but|instead|then|and then)\b)/gi;

/** The part of the sentence that belongs to the span's own instruction. */
function clauseOf(sentenceText: string): string {
  let start = 0;
  for (const match of sentenceText.matchAll(CLAUSE_BREAK)) start = match.index + match[0].length;
  return sentenceText.slice(start);
}

function isExampleContext(sentenceText: string): boolean {
  // A closed parenthesis ends its own aside: "(e.g. `A`) and `B`" offers A, not B.
  return EXAMPLE_MARKER.test(withoutClosedAsides(sentenceText));
}

/**
 * Each parenthesised aside that is closed, nested ones included, replaced by one space; an
 * unclosed `(` stays with what follows it. One pass with a stack (removing innermost pairs until
 * none is left gives the same text, in a pass per level of nesting).
 */
export function withoutClosedAsides(text: string): string {
  const kept: string[] = [];
  const opens: number[] = [];
  for (const char of text) {
    if (char === "(") {
      opens.push(kept.length);
      kept.push(char);
    } else if (char === ")" && opens.length > 0) {
      kept.length = opens.pop()!;
      kept.push(" ");
    } else kept.push(char);
  }
  return kept.join("");
}

function spanMention(rawValue: string, start: number, end: number, sentence: Sentence, state: WalkState, options: MentionOptions, found: Found): void {
  // `├─server/` in a table that draws a tree: the name is `server/`, somewhere below.
  const value = /[├└│]/.test(rawValue) ? rawValue.replace(/^[\s│├└─┬┼|`+\\-]+/, "") : rawValue;
  const lone = classifySpan(value) === null ? loneCapitals(value) : null;
  const shape = classifySpan(value) ?? lone;
  if (!shape) return;
  if (shape.kind === "symbol" && lone === null) sentence.lastSymbol = shape.value.split(/\.|::|#/)[0] ?? null;
  if (sentence.overlong) return;
  const resolved = shape.kind === "member" ? continuedMember(shape.value, sentence) : shape;
  if (!resolved || isPlaceholderName(resolved.value)) return;
  const context: SpanContext = {
    sentence: sentence.text,
    before: clauseOf(sentence.text),
    after: restOfSentence(options.text, end),
    state,
  };
  const reading = readSpan(resolved, context);
  if (reading === null) return;
  const mention = toMention(resolved, rawValue, start, end, "code", state.bases, options);
  if (lone !== null || saysGenerated(resolved, context)) mention.onlyWithEvidence = true;
  if (reading !== "claim") found.hedged.push({ ...mention, hedge: reading, near: nearWords(sentence.text, options.text, end) });
  else if (GUARD_BEFORE.test(context.before)) found.mentions.push({ ...mention, guard: true, near: nearWords(sentence.text, options.text, end) });
  else found.mentions.push(mention);
}

/**
 * `ASYNC`, `PENDING`: a lone all-caps word is a constant as often as an acronym (`JSON`, `HTTP`).
 * It is read as a name, but counts only where history shows code had it (onlyWithEvidence).
 */
function loneCapitals(value: string): Exclude<Shape, { kind: "member" }> | null {
  return /^[A-Z][A-Z0-9]{3,}$/.test(value) ? { kind: "symbol", value, call: false } : null;
}

/**
 * "`*_decorators.go` - generated decorator code": generated files are often committed, so the
 * path may be tracked; it counts only where history shows it was (onlyWithEvidence).
 */
function saysGenerated(shape: Exclude<Shape, { kind: "member" }>, { before, after }: SpanContext): boolean {
  return shape.kind !== "symbol" && (onlyGeneratedMarker(before) || onlyGeneratedMarker(after));
}

/** The text says "generated" and nothing else of UNTRACKED_MARKER ("not committed", "at runtime"). */
function onlyGeneratedMarker(text: string): boolean {
  const words = [...text.matchAll(new RegExp(UNTRACKED_MARKER.source, "gi"))].map((match) => match[0]);
  return words.length > 0 && words.every((word) => /^(?:auto-?)?generated$/i.test(word));
}

/** `.prompt()` after `Agent` in the same sentence means `Agent.prompt`. */
function continuedMember(member: string, sentence: Sentence): Exclude<Shape, { kind: "member" }> | null {
  if (!sentence.lastSymbol) return null;
  return { kind: "symbol", value: `${sentence.lastSymbol}.${member}`, call: false };
}

interface SpanContext {
  /** The sentence up to the span. */
  sentence: string;
  /** The span's own clause up to the span: after the last `;` or ", use". */
  before: string;
  /** The rest of the sentence after the span. */
  after: string;
  state: WalkState;
}

/**
 * What the text around a span says of the name: that it exists now (a claim), that it is hedged
 * (an example, a prohibition, an old name: kept for history to judge), or nothing checkable
 * (null): a plan, a pattern, a hypothetical file, an external API, an output file, a branch, a
 * file to create. What is not a claim is never judged by absence.
 */
function readSpan(shape: Exclude<Shape, { kind: "member" }>, context: SpanContext): "claim" | Hedge | null {
  if (offersPlanOrPattern(context, shape)) return null;
  if (!(shape.kind === "symbol" ? claimsSymbol(shape, context) : claimsPath(shape, context))) return null;
  return hedgeOf(context) ?? "claim";
}

/** A plan, a pattern, a hypothetical file, names shown for a kind of thing: never this code's names. */
function offersPlanOrPattern({ before, after, state }: SpanContext, shape: Exclude<Shape, { kind: "member" }>): boolean {
  if (state.offered === "plan" || FUTURE_MARKER.test(before + after)) return true;
  if (TEMPLATE_BEFORE.test(before) || TEMPLATE_AFTER.test(after)) return true;
  // "any relevant files in `docs/`": the files are any, the folder is this one.
  const folderOfThem = shape.kind === "path" && shape.directory && /\b(?:in|under)\s*$/i.test(before);
  return (HYPOTHETICAL_BEFORE.test(before) && !folderOfThem) || ILLUSTRATION_BEFORE.test(before);
}

/**
 * "formerly `X`" (a former name, on purpose), "never use `X`" or "instead of `X`" (a
 * prohibition), "the deprecated `X`", "e.g. `X`" (an example). A rule that calls a name old
 * outranks the rest: it already says the name is gone.
 */
function hedgeOf({ sentence, before, after, state }: SpanContext): Hedge | null {
  if (FORMER_BEFORE.test(before) || FORMER_AFTER.test(after)) return "former";
  if (PROHIBITION.test(before) || AVOIDED_BEFORE.test(before) || state.offered === "prohibition") return "prohibition";
  if (DEPRECATED_BEFORE.test(before) || DEPRECATED_AFTER.test(after)) return "deprecated";
  if (state.offered === "example" || isExampleContext(sentence) || EXAMPLE_AFTER.test(after)) return "example";
  return null;
}

// Where the sentence around a span ends for `nearWords`: a full stop, a blank line, a new item.
const NEAR_END = /[.!?](?=\s|$)|\n\s*\n|\n\s*(?:[-*+]\s|\d+[.)]\s|#|\|)/;
const NEAR_WORD = /[\w$@./-]+/g;
/** Words kept on each side of the span: far more than a sentence naming a successor needs. */
const NEAR_REACH = 20;

/**
 * The code-like words of the span's sentence, before and after it (`;` does not end it here:
 * "`X` is deprecated; use `Y`"): where a rule names the new name beside the old one.
 */
function nearWords(sentenceText: string, text: string, end: number): string[] {
  const rest = text.slice(end, end + 400);
  const cut = NEAR_END.exec(rest);
  const after = cut ? rest.slice(0, cut.index) : rest;
  const words = (part: string) => (part.match(NEAR_WORD) ?? []).map(nearForm).filter((word) => word !== "" && /[A-Z0-9_$./]/.test(word));
  return [...new Set([...words(sentenceText).slice(-NEAR_REACH), ...words(after).slice(0, NEAR_REACH)])];
}

/** A word as a name or path compares: no `./`, `@`, or trailing punctuation and slashes. */
export function nearForm(word: string): string {
  return word.replace(/^(?:\.\/|@)+/, "").replace(/[./-]+$/, "");
}

/** Not a literal reply, an installed extension, an API of a named package, or someone else's env var. */
function claimsSymbol(shape: Exclude<Shape, { kind: "member" }>, { before, after, sentence }: SpanContext): boolean {
  if (LITERAL_BEFORE.test(before) || EXTERNAL_AFTER.test(after) || isFromPackage(after) || FOREIGN_OWNER.test(before)) return false;
  // `ELECTRON_RUN_AS_NODE` "env var", "No `CLINE_SDK` env flag": set by a runtime or the user, not declared here.
  return !(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(shape.value) && ENVIRONMENT_WORDS.test(`${sentence} ${after}`));
}

// "MCP's `RequestId`", "GitHub's `pull_request`": an acronym or a product's own spelling owns the
// name, which is that protocol's or service's, not this code's. ("`Agent`'s `run`" is a code span.)
const FOREIGN_OWNER = /(?:^|[^\w`])(?:[A-Z]{2,}[a-z]?|[A-Z][a-z]+[A-Z][A-Za-z]*)['’]s\s*$/;

const ENVIRONMENT_WORDS = /\b(env|environment|variables?|vars?|flags?|secrets?|export(?:ed)?|settings?)\b|\.env\b/i;

function claimsPath(shape: Exclude<Shape, { kind: "member" | "symbol" }>, { before, after, state }: SpanContext): boolean {
  const untracked = (text: string) => UNTRACKED_MARKER.test(text) && !onlyGeneratedMarker(text);
  if (state.untracked || untracked(before) || untracked(after)) return false;
  // "in a `tests/` directory": any such folder, not this repository's.
  if (/\b(?:a|an)\s*$/i.test(before)) return false;
  if (shape.kind === "path" && CREATION_MARKER.test(before)) return false;
  // `claude/` in "branches start with `claude/`" is a branch prefix.
  return !(shape.kind === "path" && !/\.[A-Za-z0-9]+$/.test(shape.value) && /\bbranch(?:es)?\b/i.test(before + after));
}

// "follow the `exportedName_variant` pattern", "in the format `YYYY-MM-DD`": a shape, not a name.
const TEMPLATE_BEFORE = /\b(?:pattern|format|convention|template|shape|scheme)(?:\s+(?:of|is|like))?\s*:?\s*$/i;
const TEMPLATE_AFTER = /^[\s`*_)]*(?:(?:or|and)\s+`[^`]*`\s*)*(?:naming\s+)?(?:patterns?|formats?|conventions?|templates?|placeholders?)\b/i;
// "A file at `src/app/page.tsx` should have a test at `tests/app/page.test.tsx`": any such file.
const HYPOTHETICAL_BEFORE = /\b(?:a|an|any|each|every)\s+(?:\w+\s+)?(?:file|component|module|class|function|page|route|hook|test|service|script)s?\s+(?:at|in|under|named|called)\s*$/i;
// "verb phrases for functions (`get_user`, `calculate_total`)": names shown for a kind of thing.
const ILLUSTRATION_BEFORE =
  /\b(?:functions|methods|types|classes|variables|vars|names|constants|booleans|collections|identifiers|fields|properties|questions|units|abbreviations|phrases|words|values|verbs|nouns|prefixes|suffixes|descriptive|conventions)\s*\((?:[^()]*,\s*|[^()]*\bor\s+)?$/i;
const LITERAL_BEFORE = /\b(?:reply|replies|respond with|answer with|say|says|type|the string|the word|the literal|the token|the message)\s*$/i;
// "with `pg_cron` + `pg_squeeze` extensions": the names of things installed, not written here.
const EXTERNAL_AFTER = /^[\s`*_]*(?:(?:\+|&|,|and|or)\s*`[^`]*`[\s`*_]*)*(?:extensions?|plugins?|librar(?:y|ies)|crates?|gems?|add-?ons?|actions?)\b/i;
const FROM_MODULE = /^[^.;\n]*?\bfrom\s+`([^`]+)`/i;

/** "`createExecutionContext()` from `cloudflare:test`": an API of a package, used or not. */
function isFromPackage(after: string): boolean {
  const module = FROM_MODULE.exec(after)?.[1];
  if (module === undefined || /^[@~#]\//.test(module)) return false;
  const shape = classifySpan(module);
  return shape === null || (shape.kind !== "path" && shape.kind !== "glob");
}

// The end of the span's clause: a sentence end, a `;`, a new list item or block. A dash does not
// end it: in "`lib/` — compiled output, not checked in" what follows describes the span.
const SENTENCE_END = /[.!?;](?=\s|$)|\n\s*\n|\n\s*(?:[-*+]\s|\d+[.)]\s|#|\|)/;

/** The span's clause after the span. */
function restOfSentence(text: string, from: number): string {
  const rest = text.slice(from, from + 400);
  const cut = SENTENCE_END.exec(rest);
  return cut ? rest.slice(0, cut.index) : rest;
}

function toMention(shape: Exclude<Shape, { kind: "member" }>, raw: string, start: number, end: number, source: Mention["source"], bases: string[], options: MentionOptions): LocatedMention {
  const value = shape.kind === "path" && shape.directory ? `${shape.value}/` : shape.value;
  return { kind: shape.kind, raw, value, span: options.lines.span(start, end), source, bases, offset: start };
}

// ---------------------------------------------------------------------------------------------
// Links and @imports: targets a renderer or Claude Code follows literally

function linkMention(url: string, start: number, end: number, state: WalkState, options: MentionOptions): LocatedMention | null {
  // Cursor links a rule to a file by its path from the repository root: `[db.ts](mdc:apps/web/db.ts)`.
  const cursor = /^mdc:/i.test(url);
  const link = cursor ? url.slice("mdc:".length) : url;
  if (link === "" || link.startsWith("#") || /^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith("//")) return null;
  let target = link.replace(/[?#].*$/, "");
  try {
    target = decodeURIComponent(target);
  } catch {
    return null;
  }
  if (target === "") return null;
  const directory = target.endsWith("/");
  const value = target.replace(/\/+$/, "");
  if (value === "" || value === "." || isPlaceholderName(value) || /[<>{}[\]*]/.test(value)) return null;
  return {
    kind: "path",
    raw: url,
    value: directory ? `${value}/` : value,
    span: options.lines.span(start, end),
    source: "link",
    bases: state.bases,
    offset: start,
    ...(cursor ? { fromRoot: true } : {}),
  };
}

const IMPORT = /(^|[\s(])@((?:\.{1,2}\/|~\/|[\w-])[^\s`)'"]*)/g;

/** Claude Code `@path/to/file` imports inside prose. */
function importMentions(text: string, start: number, end: number, state: WalkState, options: MentionOptions): LocatedMention[] {
  if (!text.includes("@")) return [];
  const source = options.text.slice(start, end);
  const mentions: LocatedMention[] = [];
  let cursor = 0;
  for (const match of text.matchAll(IMPORT)) {
    const target = match[2]!.replace(/[.,;:!?]+$/, "");
    if (target.startsWith("~/")) continue;
    const shape = classifySpan(target);
    if (!shape || (shape.kind !== "path" && shape.kind !== "glob")) continue;
    // `@scope/package` in prose is a package, not an import.
    if (shape.kind === "path" && !/^\.{1,2}\//.test(target) && !/\.[A-Za-z0-9]+$/.test(target)) continue;
    const at = source.indexOf(`@${target}`, cursor);
    if (at === -1) continue;
    cursor = at + target.length + 1;
    const offset = start + at;
    mentions.push(toMention(shape, `@${target}`, offset, offset + target.length + 1, "import", state.bases, options));
  }
  return mentions;
}

// ---------------------------------------------------------------------------------------------
// Fenced blocks (with `symbols.fenced`): drawn trees, commands, code snippets

const TREE_GLYPHS = /[├└│]|^\s*[|`+\\]--/;

/** With `symbols.fenced`: a drawn directory tree, or path-shaped words and code names in other blocks. */
function fencedMentions(code: Code, state: WalkState, options: MentionOptions): LocatedMention[] {
  const source = options.text.slice(startOffset(code), endOffset(code));
  const contentStart = startOffset(code) + source.indexOf("\n") + 1;
  const lines = code.value.split(/\r?\n/);
  if (lines.some((line) => TREE_GLYPHS.test(line)) || isIndentedTree(lines)) return treeMentions(lines, contentStart, options);
  return [...fencedPathMentions(code, contentStart, state, options), ...fencedSymbolMentions(code, contentStart, state, options)];
}

function fencedPathMentions(code: Code, contentStart: number, state: WalkState, options: MentionOptions): LocatedMention[] {
  const mentions: LocatedMention[] = [];
  let cursor = contentStart;
  for (const token of code.value.split(/\s+/)) {
    // `(src/`, `dist/x.js,`: punctuation around a word in a command or prose.
    const word = token.replace(/^[([<"'`]+|[)\]>"'`,;:.]+$/g, "");
    const at = options.text.indexOf(word, cursor);
    if (word === "" || at === -1) continue;
    cursor = at + word.length;
    const shape = classifySpan(word);
    if (!shape || (shape.kind !== "path" && shape.kind !== "glob")) continue;
    if (!word.includes("/")) continue;
    if (isPlaceholderName(shape.value) || UNTRACKED_MARKER.test(lineAround(options.text, at))) continue;
    // Read as a code span is: only a drawn tree ("fence") pins names under their parents.
    mentions.push(toMention(shape, word, at, at + word.length, "code", state.bases, options));
  }
  return mentions;
}

/** The line of `text` around `index`: a comment there says what the word is (`# build output`). */
function lineAround(text: string, index: number): string {
  const start = text.lastIndexOf("\n", Math.max(0, index - 1)) + 1;
  const end = text.indexOf("\n", index);
  return text.slice(start, end === -1 ? text.length : end);
}

// Code in these languages names the repository's classes and constants.
const CODE_LANGUAGES = new Set("ts tsx js jsx mjs cjs typescript javascript py python go golang rs rust java kt kotlin rb ruby php cs csharp swift scala dart".split(" "));
// "Bad:", "❌", "// don't": code shown so that it is not written.
const ANTI_PATTERN = /\b(bad|wrong|incorrect|avoid|don'?t|do not|never|anti-?pattern|before)\b|❌|✗|🚫/i;
// Names a snippet declares or imports itself: they need not exist in the repository.
const SNIPPET_DECLARATION = /\b(?:class|interface|type|enum|struct|trait|def|function|func|const|let|var|val|fn|namespace|module)\s+([A-Za-z_$][\w$]*)/g;
const IMPORT_LINE = /^\s*(?:import|from|use|using|require|package|export\s+\{|export\s+\*)\b.*$/gm;
// Multi-hump PascalCase, SCREAMING_SNAKE, and member chains on them: names no snippet invents in passing.
const SNIPPET_NAME = /(?<![\w$.])([A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)((?:\.|::)[A-Za-z_$][\w$]*)?/g;

/**
 * With `symbols.fenced`, a code snippet's repository names: classes and constants it uses but does
 * not declare or import itself, outside strings and comments. Local camelCase names are left alone.
 */
function fencedSymbolMentions(code: Code, contentStart: number, state: WalkState, options: MentionOptions): LocatedMention[] {
  if (!CODE_LANGUAGES.has((code.lang ?? "").toLowerCase()) || ANTI_PATTERN.test(code.value.match(/\/\/.*|#.*/g)?.join(" ") ?? "")) return [];
  const text = blankStringsAndComments(code.value);
  const local = new Set<string>();
  for (const match of text.matchAll(SNIPPET_DECLARATION)) local.add(match[1]!);
  for (const line of text.match(IMPORT_LINE) ?? []) for (const word of line.match(/[A-Za-z_$][\w$]*/g) ?? []) local.add(word);
  const mentions: LocatedMention[] = [];
  const starts = lineStarts(code.value, contentStart, options.text);
  text.split("\n").forEach((line, index) => {
    const lineStart = starts[index];
    if (lineStart === undefined) return;
    for (const match of line.matchAll(SNIPPET_NAME)) {
      const name = match[1]!;
      if (local.has(name) || isPlaceholderName(name)) continue;
      const value = `${name}${match[2] ?? ""}`;
      const offset = lineStart + match.index;
      mentions.push(toMention({ kind: "symbol", value, call: false }, value, offset, offset + value.length, "fence", state.bases, options));
    }
  });
  return mentions;
}

/** Where each line of a code block starts in the file (a block in a list item loses its indent). */
function lineStarts(value: string, contentStart: number, text: string): Array<number | undefined> {
  let cursor = contentStart;
  return value.split("\n").map((line) => {
    const at = text.indexOf(line, cursor);
    if (at === -1) return undefined;
    cursor = at + line.length;
    return at;
  });
}

/** Same length, strings and comments replaced by spaces, so offsets still point into the block. */
function blankStringsAndComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\/|\/\/.*|(?<![\w$])#.*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`/g, (m) => m.replace(/[^\n]/g, " "));
}

/**
 * Each name in a drawn tree resolves under the folders above it. The first line, when it is a lone
 * folder (`my-app/`, `src/`, `.`), is the tree's root: the repository itself or a folder in it.
 */
function treeMentions(lines: string[], contentStart: number, options: MentionOptions): LocatedMention[] {
  const mentions: LocatedMention[] = [];
  const starts = lineStarts(lines.join("\n"), contentStart, options.text);
  const root = treeRoot(lines);
  const bases = root === null || root === "" ? [] : [root];
  /** Open folders; `path: null` marks an entry that is no file name, whose children are skipped. */
  const stack: Array<{ indent: number; path: string | null }> = [];
  lines.forEach((line, index) => {
    const entry = TREE_ENTRY.exec(line);
    if (!entry || (index === 0 && root !== null)) return;
    const indent = entry[1]!.length;
    const name = entry[2]!.replace(/[,:]$/, "");
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const parent = stack.length > 0 ? stack[stack.length - 1]!.path : "";
    const bare = name.replace(/\/+$/, "");
    if (bare === "" || bare === "..." || bare === "…" || isPlaceholderName(bare) || /[<>{}[\]*]/.test(bare)) return;
    const path = parent === null || !isFileName(name) ? null : parent === "" ? bare : `${parent}/${bare}`;
    if (name.endsWith("/") || !bare.includes(".")) stack.push({ indent, path });
    const lineStart = starts[index];
    if (path === null || lineStart === undefined) return;
    const at = lineStart + entry[1]!.length;
    const value = name.endsWith("/") ? `${path}/` : path;
    mentions.push({ kind: "path", raw: name, value, span: options.lines.span(at, at + name.length), source: "fence", bases, offset: at });
  });
  return mentions;
}

const TREE_ENTRY = /^([\s│├└─|`+\\-]*)([^\s│├└─#]+)/;

/** The root folder a tree is drawn from ("" for `.`), or null when its first line is an entry. */
function treeRoot(lines: string[]): string | null {
  const first = lines[0] ?? "";
  const entry = TREE_ENTRY.exec(first);
  if (entry?.[1] !== "" || TREE_GLYPHS.test(first)) return null;
  const name = entry[2]!;
  const glyphs = lines.some((line) => TREE_GLYPHS.test(line));
  if (!name.endsWith("/") && name !== "." && !(glyphs && !/\.[A-Za-z0-9]+$/.test(name))) return null;
  const root = name.replace(/^\.\/?/, "").replace(/\/+$/, "");
  return root.includes(".") ? "" : root;
}

/** `src/`, `cli.ts`, `docs`: a file or folder name; `Client` in a class tree is not. */
function isFileName(name: string): boolean {
  if (name.endsWith("/")) return true;
  const shape = classifySpan(name);
  return shape?.kind === "path" || /^[a-z0-9_][a-z0-9_.-]*$/.test(name);
}

const PATH_TOKEN = /^[\w.@-][\w.@/-]*$/;

/**
 * A tree drawn with indentation only (no `├──`): every line starts with a name, and some folder
 * (`internal/`) has lines indented under it.
 */
function isIndentedTree(lines: string[]): boolean {
  const entries = lines.filter((line) => line.trim() !== "").map((line) => ({ indent: line.length - line.trimStart().length, name: line.trim().split(/\s+/)[0]! }));
  if (entries.length < 3 || !entries.every((entry) => PATH_TOKEN.test(entry.name))) return false;
  return entries.some((entry, i) => entry.name.endsWith("/") && (entries[i + 1]?.indent ?? 0) > entry.indent);
}
