/** PEP 508 dependency specifiers: package names, requirements, and environment markers with their evaluation. */
package dev.orchestrate.env.pep508;
