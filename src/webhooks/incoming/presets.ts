// Ready templates for tools that send their own JSON. An admin picks one and edits it; each is
// tested against a sample payload of its tool (test/fixtures/). Shared with the web client.

import type { TemplatePreset } from "../../contracts/incoming.ts";

export type { TemplatePreset };

export const TEMPLATE_PRESETS: readonly TemplatePreset[] = [
  {
    id: "github-push",
    name: "GitHub: push",
    hint: "GitHub: Settings → Webhooks, content type application/json, event “Pushes”.",
    template: [
      "{{pusher.name}} pushed {{commits.length}} commit(s) to {{ref}} in {{repository.full_name}}",
      "{{#commits}}",
      "• {{message}} ({{author.name}}) {{url}}",
      "{{/commits}}",
      "{{compare}}",
    ].join("\n"),
  },
  {
    id: "github-pull-request",
    name: "GitHub: pull request",
    hint: "GitHub: Settings → Webhooks, content type application/json, event “Pull requests”.",
    template: [
      "{{sender.login}} {{action}} pull request #{{number}} in {{repository.full_name}}: {{pull_request.title}}",
      "{{pull_request.html_url}}",
    ].join("\n"),
  },
  {
    id: "github-issue",
    name: "GitHub: issue",
    hint: "GitHub: Settings → Webhooks, content type application/json, event “Issues”.",
    template: [
      "{{sender.login}} {{action}} issue #{{issue.number}} in {{repository.full_name}}: {{issue.title}}",
      "{{issue.html_url}}",
    ].join("\n"),
  },
  {
    id: "gitlab-push",
    name: "GitLab: push",
    hint: "GitLab: Settings → Webhooks, trigger “Push events”; put the key in the URL as ?token=.",
    template: [
      "{{user_name}} pushed {{total_commits_count}} commit(s) to {{ref}} in {{project.path_with_namespace}}",
      "{{#commits}}",
      "• {{title}} ({{author.name}}) {{url}}",
      "{{/commits}}",
    ].join("\n"),
  },
  {
    id: "alertmanager",
    name: "Prometheus Alertmanager",
    hint: "Alertmanager: a receiver with webhook_configs, url set to this hook's URL with ?token=.",
    template: [
      "[{{status}}] {{commonLabels.alertname}} ({{alerts.length}} alert(s))",
      "{{#alerts}}",
      "• {{status}}: {{labels.alertname}} on {{labels.instance}}{{#annotations.summary}}: {{.}}{{/annotations.summary}}",
      "{{/alerts}}",
      "{{externalURL}}",
    ].join("\n"),
  },
  {
    id: "grafana",
    name: "Grafana alerting",
    hint: "Grafana: Alerting → Contact points, integration “Webhook”, URL with ?token=.",
    template: [
      "{{title}}",
      "{{#alerts}}",
      "• {{status}}: {{labels.alertname}}{{#annotations.summary}}: {{.}}{{/annotations.summary}}",
      "{{/alerts}}",
      "{{externalURL}}",
    ].join("\n"),
  },
  {
    id: "sentry",
    name: "Sentry",
    hint: "Sentry: the project's WebHooks integration (or a service hook), URL with ?token=.",
    template: [
      "[{{project_name}}] {{level}}: {{event.title}}{{^event.title}}{{message}}{{/event.title}}",
      "{{culprit}}",
      "{{url}}",
    ].join("\n"),
  },
];
