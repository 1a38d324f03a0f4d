import { describe, expect, it } from "vitest";
import Mustache from "mustache";
import { HookRefusal } from "./refusal.ts";
import { renderTemplate, templateProblem } from "./template.ts";

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof HookRefusal) return `${err.status} ${err.reason}`;
    throw err;
  }
  throw new Error("expected a refusal");
}

describe("rendering", () => {
  it("renders names, dotted names, sections, inverted sections and {{.}} over the JSON", () => {
    const view = { repo: { name: "api" }, commits: [{ msg: "one" }, { msg: "two" }], tags: ["a", "b"], empty: [], n: 0 };
    const template = "{{repo.name}}: {{#commits}}[{{msg}}]{{/commits}} {{#tags}}{{.}},{{/tags}} {{^empty}}none{{/empty}} {{n}} {{commits.length}}";
    expect(renderTemplate(template, view)).toBe("api: [one][two] a,b, none 0 2");
  });

  it("does not escape HTML: the text is shown as text", () => {
    expect(renderTemplate("{{a}} {{{a}}} {{&a}}", { a: `<b>"Tom" & 'Jerry'</b>` })).toBe(`<b>"Tom" & 'Jerry'</b> `.repeat(3).trimEnd());
  });

  it("leaves mustache's shared escape function alone", () => {
    renderTemplate("{{a}}", { a: "<x>" });
    expect(Mustache.render("{{a}}", { a: "<x>" })).toBe("&lt;x&gt;");
  });

  it("finds only the JSON's own properties, never the prototype's", () => {
    expect(renderTemplate("[{{constructor}}][{{toString}}][{{list.map}}][{{#list.constructor}}x{{/list.constructor}}]ok", { list: [1] })).toBe(
      "[][][][]ok",
    );
  });

  it("resolves a dotted name's first part up the context stack", () => {
    expect(renderTemplate("{{#items}}{{name}}@{{repo.name}};{{/items}}", { repo: { name: "top" }, items: [{ name: "a" }, { name: "b", repo: { name: "own" } }] })).toBe(
      "a@top;b@own;",
    );
  });

  it("shows objects and lists as JSON, and removes trailing whitespace", () => {
    expect(renderTemplate("{{labels}} {{list}}\n\n", { labels: { a: "1" }, list: [1, "x"] })).toBe('{"a":"1"} [1,"x"]');
  });

  it("refuses a blank result with 400, and cuts a long one at 10,000 characters", () => {
    expect(reasonOf(() => renderTemplate("{{missing}}  \n", { other: 1 }))).toBe("400 template gave no text");
    const long = renderTemplate("{{#items}}{{.}}{{/items}}", { items: Array.from({ length: 3000 }, () => "abcde") });
    expect(long).toHaveLength(10_000);
    expect(long.endsWith("…")).toBe(true);
  });

  it("renders over any JSON value", () => {
    expect(renderTemplate("{{#.}}<{{.}}>{{/.}}", ["x", "y"])).toBe("<x><y>");
    expect(renderTemplate("got {{.}}", "a string")).toBe("got a string");
  });
});

describe("validation when saved", () => {
  it("accepts a plain template and every preset form", () => {
    expect(templateProblem("{{a.b}} {{#l}}{{.}}{{/l}} {{^x}}-{{/x}} {{! a comment }} {{=<% %>=}}<% a %>")).toBeNull();
  });

  it.each([
    ["an unclosed section", "{{#items}}x", /Unclosed section "items"/],
    ["an unopened section", "x{{/items}}", /Unopened section "items"/],
    ["a mismatched section", "{{#a}}{{/b}}", /Unclosed section "a"/],
    ["an unclosed tag", "{{name", /Unclosed tag/],
    ["a partial", "{{#a}}{{> other}}{{/a}}", /partial/],
    ["a blank template", "  \n", /blank/],
    ["over 4,000 characters", "x".repeat(4001), /4,000/],
    ["a lone surrogate", "bad \udc00", /surrogate/],
  ])("refuses %s", (_label, template, message) => {
    expect(templateProblem(template)).toMatch(message);
  });
});
