/**
 * What a person and a program see of a run. The UI renders events and decides nothing:
 * {@link dev.orchestrate.report.RunPresenter} takes the scheduler's and the executors' events
 * and draws them on a {@link dev.orchestrate.report.Screen} (a live, redrawn view on a terminal;
 * time-stamped lines elsewhere; the backends' logs followed at -vv), then the
 * {@link dev.orchestrate.report.Summary}. The same events make the
 * {@link dev.orchestrate.report.Timeline} behind the Chrome trace and the HTML report. The JSON
 * report ({@code orchestrate.report/1}, schema in {@code schemas/}), the HTML graph page and the
 * diagnostics of workspaces that cannot be built as written live here too.
 */
package dev.orchestrate.report;
