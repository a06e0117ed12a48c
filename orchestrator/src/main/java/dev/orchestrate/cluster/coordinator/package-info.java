/**
 * The coordinator: {@code build-all --cluster}. It owns the graph and the scheduler, and its
 * dispatcher leases each released package to an agent (preferring agents that hold the
 * package's environment), renews and sweeps leases, retries lost or refused tasks elsewhere up to
 * a limit, fetches and verifies artifacts into the out dir, and serves the member wheels agents
 * need. It may build locally as well ({@code --local-jobs}).
 */
package dev.orchestrate.cluster.coordinator;
