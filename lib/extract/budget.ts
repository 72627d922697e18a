// Readability's cost grows about cubically with nesting depth (2,000 nested <div>s take about a
// minute), so a page is measured before anything parses it: one pass over the markup that follows
// the tree the parser behind linkedom (htmlparser2) would build — its void elements, raw-text
// elements and implied closes — without building it, and stops at the first limit passed.

/** Far beyond real articles (pages nest a few dozen levels, rarely over 100), far below the slow ones. */
export const HTML_LIMITS = { maxDepth: 200, maxElements: 50_000 } as const;

export interface HtmlShape {
  /** Elements seen (up to the first limit passed). */
  elements: number;
  /** The deepest nesting seen (up to the first limit passed). */
  depth: number;
  over: "depth" | "elements" | null;
}

const VOID = new Set(
  "area base basefont br col command embed frame hr img input isindex keygen link meta param source track wbr".split(
    " ",
  ),
);
// Their content is text up to their own end tag, whatever it looks like.
const RAW_TEXT = new Map(
  ["script", "style", "title", "textarea", "xmp"].map((name) => [name, new RegExp(`</${name}[\\s/>]`, "gi")]),
);
const FOREIGN = new Set(["svg", "math"]);

const P = new Set(["p"]);
const FORM = new Set(["input", "option", "optgroup", "select", "button", "datalist", "textarea"]);
const DDT = new Set(["dd", "dt"]);
const RTP = new Set(["rt", "rp"]);
const TABLE_SECTIONS = new Set(["thead", "tbody"]);
/** Opening the key closes these while they are the innermost open element (htmlparser2's table). */
const OPEN_CLOSES = new Map<string, Set<string>>([
  ["tr", new Set(["tr", "th", "td"])],
  ["th", new Set(["th"])],
  ["td", new Set(["thead", "th", "td"])],
  ["body", new Set(["head", "link", "script"])],
  ["li", new Set(["li"])],
  ["option", new Set(["option"])],
  ["optgroup", new Set(["optgroup", "option"])],
  ["dd", DDT],
  ["dt", DDT],
  ["rt", RTP],
  ["rp", RTP],
  ["tbody", TABLE_SECTIONS],
  ["tfoot", TABLE_SECTIONS],
  ...["select", "input", "output", "button", "datalist", "textarea"].map((t) => [t, FORM] as const),
  ...(
    "p h1 h2 h3 h4 h5 h6 address article aside blockquote details div dl fieldset figcaption figure " +
    "footer form header hr main nav ol pre section table ul"
  )
    .split(" ")
    .map((t) => [t, P] as const),
]);

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

/** How many elements the markup has and how deep they nest, in one linear pass. */
export function measureHtml(
  html: string,
  limits: { maxDepth: number; maxElements: number } = HTML_LIMITS,
): HtmlShape {
  const n = html.length;
  const stack: string[] = [];
  // How many of each name are open, so an end tag finds its element without searching the stack.
  const openCount = new Map<string, number>();
  let elements = 0;
  let depth = 0;
  let foreign = 0;

  const push = (name: string) => {
    stack.push(name);
    openCount.set(name, (openCount.get(name) ?? 0) + 1);
    if (FOREIGN.has(name)) foreign++;
  };
  /** An element at the current level (its depth counts even when it holds nothing). */
  const element = () => {
    elements++;
    depth = Math.max(depth, stack.length + 1);
  };
  const pop = () => {
    const name = stack.pop()!;
    openCount.set(name, openCount.get(name)! - 1);
    if (FOREIGN.has(name)) foreign--;
    return name;
  };
  const over = (): HtmlShape["over"] =>
    depth > limits.maxDepth ? "depth" : elements > limits.maxElements ? "elements" : null;
  /** The end of a name that starts at `i`: htmlparser2 ends names at whitespace, "/" or ">". */
  const nameEnd = (i: number) => {
    while (i < n) {
      const c = html.charCodeAt(i);
      if (isSpace(c) || c === 47 || c === 62) break;
      i++;
    }
    return i;
  };
  /** Past the ">" of a tag whose attributes start at `i`; quoted values may hold ">". */
  const tagEnd = (i: number): { end: number; selfClosing: boolean } => {
    while (i < n) {
      const c = html.charCodeAt(i);
      if (c === 62) return { end: i + 1, selfClosing: html.charCodeAt(i - 1) === 47 };
      i++;
      if (c === 61) {
        while (i < n && isSpace(html.charCodeAt(i))) i++;
        const q = html.charCodeAt(i);
        if (q === 34 || q === 39) {
          const close = html.indexOf(q === 34 ? '"' : "'", i + 1);
          if (close < 0) return { end: n, selfClosing: false };
          i = close + 1;
        }
      }
    }
    return { end: n, selfClosing: false };
  };
  const skipPast = (needle: string, from: number) => {
    const at = html.indexOf(needle, from);
    return at < 0 ? n : at + needle.length;
  };

  let i = 0;
  while (i < n) {
    const lt = html.indexOf("<", i);
    if (lt < 0 || lt + 1 >= n) break;
    const c = html.charCodeAt(lt + 1);
    if (c === 33 /* ! */) {
      if (html.startsWith("<!--", lt)) i = skipPast("-->", lt + 4);
      else if (html.startsWith("<![CDATA[", lt)) i = skipPast("]]>", lt + 9);
      else i = skipPast(">", lt + 2);
    } else if (c === 63 /* ? */) {
      i = skipPast(">", lt + 2);
    } else if (c === 47 /* / */) {
      if (!isLetter(html.charCodeAt(lt + 2))) {
        i = skipPast(">", lt + 2); // "</>" or "</ …>": not an end tag
        continue;
      }
      const end = nameEnd(lt + 2);
      const name = html.slice(lt + 2, end).toLowerCase();
      i = tagEnd(end).end;
      if (VOID.has(name)) {
        if (name === "br") element(); // "</br>" is read as <br>
      } else if (openCount.get(name)) {
        while (pop() !== name);
      } else if (name === "p") element(); // a stray "</p>" is read as an empty <p>
    } else if (isLetter(c)) {
      const end = nameEnd(lt + 1);
      const name = html.slice(lt + 1, end).toLowerCase();
      const tag = tagEnd(end);
      i = tag.end;
      const closes = OPEN_CLOSES.get(name);
      if (closes) while (stack.length && closes.has(stack[stack.length - 1]!)) pop();
      element();
      // Outside <svg>/<math> a "/>" means nothing to an HTML parser: the element stays open.
      if (!VOID.has(name) && !(tag.selfClosing && foreign > 0)) {
        push(name);
        const closing = RAW_TEXT.get(name);
        if (closing) {
          closing.lastIndex = i;
          const found = closing.exec(html);
          if (!found) break;
          pop();
          i = tagEnd(found.index + 2 + name.length).end;
        }
      }
      const exceeded = over();
      if (exceeded) return { elements, depth, over: exceeded };
    } else {
      i = lt + 1; // "<" followed by anything else is text
    }
  }
  return { elements, depth, over: over() };
}

/** Why a page is refused before reading it, or null when it is within the limits. */
export function htmlBudgetProblem(html: string): string | null {
  const shape = measureHtml(html);
  if (shape.over === "depth")
    return `This page nests its elements more than ${HTML_LIMITS.maxDepth} levels deep, far more than any article needs; paste the article's text instead`;
  if (shape.over === "elements")
    return `This page has more than ${HTML_LIMITS.maxElements.toLocaleString("en-US")} elements, far more than any article needs; paste the article's text instead`;
  return null;
}
