// Package triage is the pure domain of scaletriage: signals, snapshots, the
// catalog, thresholds, rules and findings. It performs no I/O and prints
// nothing; triage/prom fills a Snapshot, the report and the TUI print a
// Diagnosis.
//
// Where things are:
//
//   - The catalog: catalog.go and catalog.yaml (SignalDef, Candidate, the
//     embedded catalog and config overrides), signal_ids.go (the Signal*
//     constants), tier.go (Tier), engine.go (Engine), range.go (the values a
//     signal can take), related.go (metrics to point at when one is
//     missing), thresholds.go (Thresholds and Judge).
//   - One pass's readings: reading.go (Reading, Snapshot and its Source,
//     Bucket), entity.go (the entities behind a value), value.go (Value,
//     Unit), status.go (Status), contributors.go (who brought a change),
//     onset.go (when an entity left its normal), change.go (Change, Since).
//   - The rules: rules.go (Rule, the ordered rules, Diagnose, Diagnosis),
//     rule_ids.go (RuleID constants), one rule per rule_<name>.go,
//     rule_helpers.go (what rules share), rule_settings.go (RuleSettings and
//     their sources), finding.go (Finding), finding_change.go (a finding's
//     change from its Causes), chain.go (victim to cause), scope.go (in or
//     out of the selected service), role.go (a database primary's host).
//   - The arithmetic: capacity.go (the bottleneck law and projections),
//     erlang.go (a pool as a queue), format.go (Format, ShowWorking and the
//     number formats every output shares).
//   - Fleets and pages: services.go (services ranked by what changed),
//     alert.go (the alert an incident starts from).
//   - Prompts: prompt_ids.go (PromptID constants for the whole library).
//   - Text from servers: sanitize.go (Sanitize, the one sanitizer), capped.go
//     (label values kept exact but capped).
package triage
