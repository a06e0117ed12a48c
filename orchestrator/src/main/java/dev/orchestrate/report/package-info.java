/** What a person and a program see of a run: progress lines, the summary, the JSON report. */
package dev.orchestrate.report;
