/** Making a build environment: a bare venv, then its requirements installed into it. */
package dev.orchestrate.env.install;
