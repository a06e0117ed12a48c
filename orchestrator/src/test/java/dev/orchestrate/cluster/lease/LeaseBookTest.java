package dev.orchestrate.cluster.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeaseBookTest {
  @Test
  void aRenewedLeaseLivesOnAndAnUnrenewedOneExpiresOnce() {
    LeaseBook book = new LeaseBook(1000);
    book.grant("t1", "run", "alpha", 1, "a1", "m1", 0);
    book.grant("t2", "run", "beta", 1, "a2", "m2", 0);
    assertTrue(book.renew("t1", "a1", 800));
    assertFalse(book.renew("t1", "a2", 800), "only its holder renews a lease");
    List<Lease> expired = book.expire(1500);
    assertEquals(List.of("t2"), expired.stream().map(Lease::taskId).toList());
    assertTrue(book.expire(1500).isEmpty());
    assertEquals(1800, book.get("t1").orElseThrow().expiresAtMillis());
  }

  @Test
  void aLateReplyFindsItsLeaseGone() {
    LeaseBook book = new LeaseBook(1000);
    book.grant("t1", "run", "alpha", 1, "a1", "m1", 0);
    book.expire(5000);
    assertTrue(book.end("t1").isEmpty(), "the reply of an expired lease is discarded");
    assertFalse(book.renew("t1", "a1", 5000), "and its renewals are refused");
  }

  @Test
  void anAgentLeavingLosesAllItsLeasesAndNoOtherOne() {
    LeaseBook book = new LeaseBook(1000);
    book.grant("t1", "run", "alpha", 1, "a1", "m1", 0);
    book.grant("t2", "run", "beta", 1, "a1", "m1", 0);
    book.grant("t3", "run", "gamma", 2, "a2", "m2", 0);
    assertEquals(List.of("t1", "t2"), book.dropAgent("a1").stream().map(Lease::taskId).toList());
    assertEquals(1, book.size());
    assertTrue(book.end("t3").isPresent());
  }
}
