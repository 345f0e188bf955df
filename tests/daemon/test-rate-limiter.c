/* test-rate-limiter.c: token buckets per address, with a clock of our own */

#include "config.h"

#include "sws-rate-limiter.h"

#define S G_GINT64_CONSTANT (1000000)

static void
test_burst_then_rate (void)
{
  g_autoptr(SwsRateLimiter) limiter = sws_rate_limiter_new (5, 10);
  gint64 t = 1000 * S;
  guint retry = 0;
  gboolean first = FALSE;

  /* A full bucket: the burst passes at once, then nothing. */
  for (guint i = 0; i < 10; i++)
    g_assert_true (sws_rate_limiter_take (limiter, "192.0.2.1", t, NULL, NULL));
  g_assert_false (sws_rate_limiter_take (limiter, "192.0.2.1", t, &retry, &first));
  g_assert_cmpuint (retry, ==, 1);
  g_assert_true (first);
  g_assert_false (sws_rate_limiter_take (limiter, "192.0.2.1", t, &retry, &first));
  g_assert_false (first);

  /* Another address has its own bucket. */
  g_assert_true (sws_rate_limiter_take (limiter, "192.0.2.2", t, NULL, NULL));

  /* 5 a second flow back in: after 1 s, five and no more. */
  t += S;
  for (guint i = 0; i < 5; i++)
    g_assert_true (sws_rate_limiter_take (limiter, "192.0.2.1", t, NULL, NULL));
  g_assert_false (sws_rate_limiter_take (limiter, "192.0.2.1", t, NULL, NULL));

  /* A fifth of a second is one token. */
  t += S / 5;
  g_assert_true (sws_rate_limiter_take (limiter, "192.0.2.1", t, NULL, NULL));
  g_assert_false (sws_rate_limiter_take (limiter, "192.0.2.1", t, NULL, NULL));

  /* A long pause refills to the burst, not beyond. */
  t += 3600 * S;
  for (guint i = 0; i < 10; i++)
    g_assert_true (sws_rate_limiter_take (limiter, "192.0.2.1", t, NULL, NULL));
  g_assert_false (sws_rate_limiter_take (limiter, "192.0.2.1", t, NULL, NULL));
}

static void
test_retry_after (void)
{
  g_autoptr(SwsRateLimiter) limiter = sws_rate_limiter_new (1, 1);
  guint retry = 0;

  g_assert_true (sws_rate_limiter_take (limiter, "a", 0, NULL, NULL));
  g_assert_false (sws_rate_limiter_take (limiter, "a", 0, &retry, NULL));
  g_assert_cmpuint (retry, ==, 1);
  /* Slower than one a second: the wait is rounded up to whole seconds. */
  sws_rate_limiter_configure (limiter, 1, 1);
  g_assert_false (sws_rate_limiter_take (limiter, "a", S / 2, &retry, NULL));
  g_assert_cmpuint (retry, ==, 1);
}

static void
test_report_once_a_minute (void)
{
  g_autoptr(SwsRateLimiter) limiter = sws_rate_limiter_new (1, 1);
  gint64 t = 10 * S;
  guint reports = 0;

  /* Ten requests a second for three minutes, roughly: a report a minute. */
  for (guint i = 0; i < 1800; i++, t += S / 10)
    {
      gboolean first = FALSE;

      if (!sws_rate_limiter_take (limiter, "flood", t, NULL, &first) && first)
        reports++;
    }
  g_assert_cmpuint (reports, ==, 3);
}

static void
test_prune (void)
{
  g_autoptr(SwsRateLimiter) limiter = sws_rate_limiter_new (10, 20);

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *key = g_strdup_printf ("198.51.100.%u", i);

      g_assert_true (sws_rate_limiter_take (limiter, key, 0, NULL, NULL));
    }
  g_assert_true (sws_rate_limiter_take (limiter, "busy", 0, NULL, NULL));
  g_assert_cmpuint (sws_rate_limiter_get_size (limiter), ==, 101);
  /* 0.1 s later every bucket has its token back: all idle, all dropped. */
  sws_rate_limiter_prune (limiter, S / 10);
  g_assert_cmpuint (sws_rate_limiter_get_size (limiter), ==, 0);

  for (guint i = 0; i < 20; i++)
    g_assert_true (sws_rate_limiter_take (limiter, "busy", S, NULL, NULL));
  sws_rate_limiter_prune (limiter, S);
  g_assert_cmpuint (sws_rate_limiter_get_size (limiter), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sws/limits/rate-limiter/burst-then-rate", test_burst_then_rate);
  g_test_add_func ("/sws/limits/rate-limiter/retry-after", test_retry_after);
  g_test_add_func ("/sws/limits/rate-limiter/report-once-a-minute", test_report_once_a_minute);
  g_test_add_func ("/sws/limits/rate-limiter/prune", test_prune);

  return g_test_run ();
}
