// Each preset against a sample payload of its tool (trimmed copies of what the tools send).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TEMPLATE_PRESETS } from "./presets.ts";
import { renderTemplate, templateProblem } from "./template.ts";

const fixture = (name: string) => JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../../../test/fixtures", name), "utf8"));

const expected: Record<string, [string, string]> = {
  "github-push": [
    "github-push.json",
    [
      "Codertocat pushed 2 commit(s) to refs/heads/main in Codertocat/Hello-World",
      "• Fix the login redirect (Codertocat) https://github.com/Codertocat/Hello-World/commit/f1e2d3c4b5a6978877665544332211ffeeddccbb",
      '• Add tests for <redirect> & "next" URLs',
      "",
      "Covers the edge cases. (Mona Lisa) https://github.com/Codertocat/Hello-World/commit/0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
      "https://github.com/Codertocat/Hello-World/compare/6113728f27ae...0d1a26e67d8f",
    ].join("\n"),
  ],
  "github-pull-request": [
    "github-pull-request.json",
    "Codertocat opened pull request #2 in Codertocat/Hello-World: Update the README with new information.\nhttps://github.com/Codertocat/Hello-World/pull/2",
  ],
  "github-issue": [
    "github-issues.json",
    "Codertocat opened issue #1 in Codertocat/Hello-World: Spelling error in the README file\nhttps://github.com/Codertocat/Hello-World/issues/1",
  ],
  "gitlab-push": [
    "gitlab-push.json",
    [
      "John Smith pushed 4 commit(s) to refs/heads/master in mike/diaspora",
      "• Update Catalan translation to e38cb41. (Jordi Mallach) http://example.com/mike/diaspora/commit/b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327",
      "• fixed readme (GitLab dev user) http://example.com/mike/diaspora/commit/da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
    ].join("\n"),
  ],
  alertmanager: [
    "alertmanager.json",
    [
      "[firing] HighLatency (2 alert(s))",
      "• firing: HighLatency on api-1:9100: p99 latency above 500 ms on api-1",
      "• resolved: HighLatency on api-2:9100",
      "http://alertmanager.example.com:9093",
    ].join("\n"),
  ],
  grafana: [
    "grafana.json",
    [
      "[FIRING:2]  (blue)",
      "• firing: High memory usage: This alert was triggered for zone us-1",
      "• firing: High CPU usage: This alert was triggered for zone eu-1",
      "https://play.grafana.org/",
    ].join("\n"),
  ],
  sentry: [
    "sentry.json",
    "[Backend API] error: ZeroDivisionError: division by zero\napp.views.checkout in post\nhttps://sentry.io/organizations/acme/issues/4381713249/?referrer=webhooks_plugin",
  ],
};

describe("template presets", () => {
  it("has GitHub push, pull request and issue, GitLab push, Alertmanager, Grafana and Sentry, each valid", () => {
    expect(TEMPLATE_PRESETS.map((p) => p.id)).toEqual(Object.keys(expected));
    for (const preset of TEMPLATE_PRESETS) expect(templateProblem(preset.template), preset.id).toBeNull();
  });

  it.each(Object.entries(expected))("%s renders its tool's sample payload", (id, [file, text]) => {
    const preset = TEMPLATE_PRESETS.find((p) => p.id === id)!;
    expect(renderTemplate(preset.template, fixture(file))).toBe(text);
  });

  it("falls back where a field is missing (Sentry without event.title uses message)", () => {
    const sentry = TEMPLATE_PRESETS.find((p) => p.id === "sentry")!;
    const payload = { ...fixture("sentry.json"), message: "Division failed", event: {} };
    expect(renderTemplate(sentry.template, payload).split("\n")[0]).toBe("[Backend API] error: Division failed");
  });
});
