/**
 * The executor: builds one package through its backend's PEP 517 hooks (sdist, then the wheel
 * from the unpacked sdist, with the UnsupportedOperation fallback), in its build environments,
 * and publishes its artifacts atomically.
 */
package dev.orchestrate.build;
