/** PEP 440 version identifiers, their ordering, and version specifiers, with the semantics of {@code packaging.version} and {@code packaging.specifiers}. */
package dev.orchestrate.env.pep440;
