/* test-registrar.c: REGISTER handling (RFC 3261 §10.3, RFC 5626 §6) */

#include "sws-test-sip.h"

typedef struct
{
  SwsServer *server;
  SwsRegistrar *registrar;
  SwsConnection *a;
  SwsConnection *b;
  guint added;
  guint removed;
  guint last_reason;
} Fixture;

static void
on_added (SwsRegistrar *registrar, SwsRegistration *reg, gpointer user_data)
{
  ((Fixture *) user_data)->added++;
}

static void
on_removed (SwsRegistrar *registrar, SwsRegistration *reg, guint reason, gpointer user_data)
{
  Fixture *f = user_data;

  f->removed++;
  f->last_reason = reason;
}

static void
setup_with (Fixture *f, const char *config)
{
  f->server = sws_test_server_new (config);
  f->registrar = sws_server_get_registrar (f->server);
  f->a = sws_fake_connection_new ("192.0.2.1", 40001);
  f->b = sws_fake_connection_new ("192.0.2.2", 40002);
  sws_server_adopt_connection (f->server, f->a);
  sws_server_adopt_connection (f->server, f->b);
  g_signal_connect (f->registrar, "registration-added", G_CALLBACK (on_added), f);
  g_signal_connect (f->registrar, "registration-removed", G_CALLBACK (on_removed), f);
}

static void
setup (Fixture *f, gconstpointer data)
{
  setup_with (f, data);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_signal_handlers_disconnect_by_data (f->registrar, f);
  g_clear_object (&f->a);
  g_clear_object (&f->b);
  g_clear_object (&f->server);
}

static SwsSipMessage *
do_register (Fixture       *f,
             SwsConnection *conn,
             const char    *aor,
             const char    *contact,
             const char    *call_id,
             guint          cseq,
             const char    *extra)
{
  g_autofree char *text = sws_test_register (aor, contact, call_id, cseq, extra);

  return sws_test_exchange (f->server, conn, text);
}

static void
test_basic (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsSipMessage) r = do_register (f, f->a, "alice@example.com",
                                            "<sip:x1@a.invalid;transport=ws>", "c1", 1, NULL);
  g_autofree char *contact = sws_test_header (r, "Contact");
  g_autofree char *date = sws_test_header (r, "Date");
  g_autofree char *via = sws_test_header (r, "Via");
  GPtrArray *bindings;
  SwsRegistration *reg;

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (contact, ==, "<sip:x1@a.invalid;transport=ws>;expires=600");
  g_assert_nonnull (date);
  g_assert_true (g_str_has_suffix (date, " GMT"));
  g_assert_nonnull (strstr (via, ";received=192.0.2.1"));
  g_assert_true (SWS_STR_IS_SET (r->to.tag));

  g_assert_cmpuint (sws_registrar_get_count (f->registrar), ==, 1);
  g_assert_cmpuint (f->added, ==, 1);
  bindings = sws_registrar_lookup (f->registrar, "sip:alice@example.com");
  g_assert_nonnull (bindings);
  g_assert_cmpuint (bindings->len, ==, 1);
  reg = bindings->pdata[0];
  g_assert_cmpstr (sws_registration_get_aor (reg), ==, "sip:alice@example.com");
  g_assert_cmpstr (sws_registration_get_contact (reg), ==, "sip:x1@a.invalid;transport=ws");
  g_assert_cmpstr (sws_registration_get_call_id (reg), ==, "c1");
  g_assert_cmpuint (sws_registration_get_cseq (reg), ==, 1);
  g_assert_cmpstr (sws_registration_get_user_agent (reg), ==, "sws-test");
  g_assert_cmpstr (sws_registration_get_remote_address (reg), ==, "192.0.2.1:40001");
  g_assert_true (sws_registration_get_connection (reg) == f->a);
  g_assert_cmpuint (sws_registration_get_expires_in (reg, g_get_real_time ()), <=, 600);
  g_assert_cmpuint (sws_registration_get_expires_in (reg, g_get_real_time ()), >=, 599);
  /* Contacts compare without one-sided parameters (RFC 3261 §19.1.4): a
   * call's Contact with ";ob" still names this binding. */
  g_assert_true (sws_registrar_find_contact (f->registrar,
                                             "sip:x1@a.invalid;transport=ws;ob") == reg);
  g_assert_true (sws_registrar_find_contact (f->registrar, "sip:x1@A.INVALID") == reg);
  g_assert_null (sws_registrar_find_contact (f->registrar, "sip:x2@a.invalid;transport=ws"));
}

static void
count_notify (GObject *obj, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_refresh_is_silent (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsSipMessage) r1 = do_register (f, f->a, "alice@example.com", "<sip:x1@a.invalid>",
                                             "c1", 1, NULL);
  g_autoptr(SwsSipMessage) r2 = NULL;
  g_autofree char *contact = NULL;
  SwsRegistration *reg = g_ptr_array_index (sws_registrar_lookup (f->registrar,
                                                                   "sip:alice@example.com"), 0);
  guint notifies = 0;

  g_signal_connect (reg, "notify", G_CALLBACK (count_notify), &notifies);
  r2 = do_register (f, f->a, "alice@example.com", "<sip:x1@a.invalid>", "c1", 2,
                    "Expires: 300\r\n");
  g_assert_cmpuint (r2->status, ==, 200);
  contact = sws_test_header (r2, "Contact");
  g_assert_cmpstr (contact, ==, "<sip:x1@a.invalid>;expires=300");
  g_assert_cmpuint (sws_registration_get_cseq (reg), ==, 2);
  g_assert_cmpuint (f->added, ==, 1);
  g_assert_cmpuint (notifies, ==, 0);
  g_signal_handlers_disconnect_by_data (reg, &notifies);
}

static void
test_expiry_sources (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsSipMessage) r1 = do_register (f, f->a, "bob@example.com",
                                             "<sip:b1@b.invalid>;expires=120", "c1", 1,
                                             "Expires: 900\r\n");
  g_autoptr(SwsSipMessage) r2 = do_register (f, f->a, "carol@example.com", "<sip:c1@c.invalid>",
                                             "c2", 1, "Expires: 99999\r\n");
  g_autoptr(SwsSipMessage) r3 = do_register (f, f->a, "dave@example.com", "<sip:d1@d.invalid>",
                                             "c3", 1, "Expires: 30\r\n");
  g_autoptr(SwsSipMessage) r4 = do_register (f, f->a, "dave@example.com",
                                             "<sip:d1@d.invalid>;expires=59", "c3", 2, NULL);
  g_autofree char *c1 = sws_test_header (r1, "Contact");
  g_autofree char *c2 = sws_test_header (r2, "Contact");
  g_autofree char *min = sws_test_header (r3, "Min-Expires");

  /* The contact parameter wins over the header (§10.2.1.1). */
  g_assert_cmpstr (c1, ==, "<sip:b1@b.invalid>;expires=120");
  /* Too long is shortened silently. */
  g_assert_cmpstr (c2, ==, "<sip:c1@c.invalid>;expires=3600");
  /* Too short is refused with the minimum (§10.3 step 7). */
  g_assert_cmpuint (r3->status, ==, 423);
  g_assert_cmpstr (min, ==, "60");
  g_assert_cmpuint (r4->status, ==, 423);
  g_assert_null (sws_registrar_lookup (f->registrar, "sip:dave@example.com"));
}

static void
test_several_contacts (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsSipMessage) r1 = do_register (f, f->a, "alice@example.com", "<sip:x1@a.invalid>",
                                             "c1", 1, NULL);
  g_autoptr(SwsSipMessage) r2 = do_register (f, f->b, "alice@example.com", "<sip:x2@b.invalid>",
                                             "c2", 1, NULL);
  g_autoptr(SwsSipMessage) r3 = do_register (f, f->a, "alice@example.com", NULL, "c9", 1, NULL);

  g_assert_cmpuint (sws_test_count_contacts (r1), ==, 1);
  g_assert_cmpuint (sws_test_count_contacts (r2), ==, 2);
  /* Without Contact, REGISTER is a query (§10.2.3). */
  g_assert_cmpuint (r3->status, ==, 200);
  g_assert_cmpuint (sws_test_count_contacts (r3), ==, 2);
  g_assert_cmpuint (sws_registrar_get_count (f->registrar), ==, 2);
}

static void
test_unregister (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsSipMessage) r1 = do_register (f, f->a, "alice@example.com", "<sip:x1@a.invalid>",
                                             "c1", 1, NULL);
  g_autoptr(SwsSipMessage) r2 = do_register (f, f->a, "alice@example.com",
                                             "<sip:x1@a.invalid>;expires=0", "c1", 2, NULL);

  g_assert_cmpuint (r2->status, ==, 200);
  g_assert_cmpuint (sws_test_count_contacts (r2), ==, 0);
  g_assert_cmpuint (f->removed, ==, 1);
  g_assert_cmpuint (f->last_reason, ==, SWS_REMOVED_UNREGISTERED);
  g_assert_cmpuint (sws_registrar_get_count (f->registrar), ==, 0);
  g_assert_cmpuint (sws_registrar_get_aor_count (f->registrar), ==, 0);
  /* Known but offline: an empty list, so the proxy can answer 480. */
  g_assert_nonnull (sws_registrar_lookup (f->registrar, "sip:alice@example.com"));
  g_assert_cmpuint (sws_registrar_lookup (f->registrar, "sip:alice@example.com")->len, ==, 0);
  g_assert_true (sws_registrar_find_contact (f->registrar, "sip:x1@a.invalid") == NULL);
}

static void
test_star (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsSipMessage) r1 = do_register (f, f->a, "alice@example.com", "<sip:x1@a.invalid>",
                                             "c1", 1, NULL);
  g_autoptr(SwsSipMessage) r2 = do_register (f, f->b, "alice@example.com", "<sip:x2@b.invalid>",
                                             "c2", 1, NULL);
  g_autoptr(SwsSipMessage) bad1 = do_register (f, f->a, "alice@example.com", "*", "c3", 1,
                                               "Expires: 60\r\n");
  g_autoptr(SwsSipMessage) bad2 = do_register (f, f->a, "alice@example.com", "*", "c3", 2, NULL);
  g_autoptr(SwsSipMessage) bad3 = do_register (f, f->a, "alice@example.com",
                                               "*, <sip:x3@a.invalid>", "c3", 3,
                                               "Expires: 0\r\n");
  g_autoptr(SwsSipMessage) ok = NULL;

  g_assert_cmpuint (bad1->status, ==, 400);
  g_assert_cmpuint (bad2->status, ==, 400);
  g_assert_cmpuint (bad3->status, ==, 400);
  g_assert_cmpuint (sws_registrar_get_count (f->registrar), ==, 2);

  ok = do_register (f, f->a, "alice@example.com", "*", "c3", 4, "Expires: 0\r\n");
  g_assert_cmpuint (ok->status, ==, 200);
  g_assert_cmpuint (sws_test_count_contacts (ok), ==, 0);
  g_assert_cmpuint (sws_registrar_get_count (f->registrar), ==, 0);
  g_assert_cmpuint (f->removed, ==, 2);
}

static void
test_cseq_order (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsSipMessage) r1 = do_register (f, f->a, "alice@example.com", "<sip:x1@a.invalid>",
                                             "c1", 10, NULL);
  g_autoptr(SwsSipMessage) r2 = do_register (f, f->a, "alice@example.com",
                                             "<sip:x1@a.invalid>;expires=0", "c1", 9, NULL);
  g_autoptr(SwsSipMessage) r3 = do_register (f, f->a, "alice@example.com",
                                             "<sip:x1@a.invalid>;expires=0", "c1", 10, NULL);
  /* Another Call-ID may do anything (§10.3 step 7). */
  g_autoptr(SwsSipMessage) r4 = do_register (f, f->a, "alice@example.com",
                                             "<sip:x1@a.invalid>;expires=300", "other", 1, NULL);
  SwsRegistration *reg;

  g_assert_cmpuint (r2->status, ==, 400);
  g_assert_cmpuint (r3->status, ==, 400);
  g_assert_cmpuint (r4->status, ==, 200);
  reg = g_ptr_array_index (sws_registrar_lookup (f->registrar, "sip:alice@example.com"), 0);
  g_assert_cmpstr (sws_registration_get_call_id (reg), ==, "other");
}

static void
test_instance_replaces (Fixture *f, gconstpointer data)
{
  const char *c1 = "<sip:old@a.invalid;transport=ws>;reg-id=1;"
                   "+sip.instance=\"<urn:uuid:00000000-0000-0000-0000-000000000001>\"";
  const char *c2 = "<sip:new@b.invalid;transport=ws>;reg-id=1;"
                   "+sip.instance=\"<urn:uuid:00000000-0000-0000-0000-000000000001>\"";
  g_autoptr(SwsSipMessage) r1 = do_register (f, f->a, "alice@example.com", c1, "c1", 1, NULL);
  g_autoptr(SwsSipMessage) r2 = do_register (f, f->b, "alice@example.com", c2, "c2", 1, NULL);
  g_autofree char *contact = sws_test_header (r2, "Contact");
  SwsRegistration *reg;

  g_assert_cmpuint (r2->status, ==, 200);
  g_assert_cmpuint (sws_test_count_contacts (r2), ==, 1);
  g_assert_true (g_str_has_prefix (contact, "<sip:new@b.invalid;transport=ws>;expires=600"));
  g_assert_nonnull (strstr (contact, "+sip.instance=\"<urn:uuid:00000000-0000-0000-0000-000000000001>\""));
  g_assert_cmpuint (f->last_reason, ==, SWS_REMOVED_REPLACED);
  reg = g_ptr_array_index (sws_registrar_lookup (f->registrar, "sip:alice@example.com"), 0);
  g_assert_true (sws_registration_get_connection (reg) == f->b);
  g_assert_cmpuint (sws_registration_get_reg_id (reg), ==, 1);

  /* The old flow closing must not touch the new binding. */
  sws_connection_close (f->a, 1000, NULL);
  g_assert_cmpuint (sws_registrar_get_count (f->registrar), ==, 1);
}

static void
test_connection_closed (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsSipMessage) r1 = do_register (f, f->a, "alice@example.com",
                                             "<sip:x1@a.invalid>, <sip:x2@a.invalid>", "c1", 1,
                                             NULL);
  g_autoptr(SwsSipMessage) r2 = do_register (f, f->b, "alice@example.com", "<sip:x3@b.invalid>",
                                             "c2", 1, NULL);

  g_assert_cmpuint (sws_registrar_get_count (f->registrar), ==, 3);
  sws_connection_close (f->a, 1000, NULL);
  g_assert_cmpuint (sws_registrar_get_count (f->registrar), ==, 1);
  g_assert_cmpuint (f->removed, ==, 2);
  g_assert_cmpuint (f->last_reason, ==, SWS_REMOVED_CONNECTION_CLOSED);
}

static void
test_limits (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsSipMessage) r1 = do_register (f, f->a, "alice@example.com",
                                             "<sip:x1@a.invalid>, <sip:x2@a.invalid>", "c1", 1,
                                             NULL);
  g_autoptr(SwsSipMessage) r2 = do_register (f, f->a, "alice@example.com", "<sip:x3@a.invalid>",
                                             "c1", 2, NULL);
  g_autoptr(SwsSipMessage) r3 = do_register (f, f->a, "alice@other.org", "<sip:x3@a.invalid>",
                                             "c3", 1, NULL);

  /* max-contacts=2 and domains=example.com in this fixture's config */
  g_assert_cmpuint (r1->status, ==, 200);
  g_assert_cmpuint (r2->status, ==, 403);
  g_assert_cmpuint (r3->status, ==, 403);
  g_assert_cmpuint (sws_registrar_get_count (f->registrar), ==, 2);
}

static void
test_bad_contacts (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsSipMessage) r1 = do_register (f, f->a, "alice@example.com", "<name:John_Smith>",
                                             "c1", 1, NULL);
  g_autoptr(SwsSipMessage) r2 = do_register (f, f->a, "alice@example.com",
                                             "<sip:a@a.invalid?Route=%3Csip:evil.example%3E>",
                                             "c1", 2, NULL);
  g_autoptr(SwsSipMessage) r3 = do_register (f, f->a, "alice@example.com",
                                             "<sip:a@a.invalid>;expires=4294967296", "c1", 3, NULL);
  g_autoptr(SwsSipMessage) r4 = do_register (f, f->a, "alice@example.com",
                                             "<sip:a@a.invalid>;q=2", "c1", 4, NULL);
  g_autoptr(SwsSipMessage) r5 = do_register (f, f->a, "alice@example.com",
                                             "<sip:a@a.invalid>;q=0.5", "c1", 5, NULL);
  g_autofree char *c5 = sws_test_header (r5, "Contact");

  g_assert_cmpuint (r1->status, ==, 416);
  g_assert_cmpuint (r2->status, ==, 400);
  g_assert_cmpuint (r3->status, ==, 400);
  g_assert_cmpuint (r4->status, ==, 400);
  g_assert_cmpuint (r5->status, ==, 200);
  g_assert_cmpstr (c5, ==, "<sip:a@a.invalid>;expires=600;q=0.500");
}

static void
test_expires_by_timer (Fixture *f, gconstpointer data)
{
  g_autoptr(SwsSipMessage) r1 = do_register (f, f->a, "alice@example.com",
                                             "<sip:x1@a.invalid>;expires=1", "c1", 1, NULL);
  gint64 deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

  g_assert_cmpuint (r1->status, ==, 200);
  g_assert_cmpuint (sws_registrar_get_count (f->registrar), ==, 1);
  /* The server's single timer source runs on the default main context. */
  while (f->removed == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (f->removed, ==, 1);
  g_assert_cmpuint (f->last_reason, ==, SWS_REMOVED_EXPIRED);
  g_assert_cmpuint (sws_registrar_get_count (f->registrar), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn, config) \
  g_test_add ("/sws/registrar/" path, Fixture, config, setup, fn, teardown)

  ADD ("basic", test_basic, NULL);
  ADD ("refresh-is-silent", test_refresh_is_silent, NULL);
  ADD ("expiry-sources", test_expiry_sources, NULL);
  ADD ("several-contacts", test_several_contacts, NULL);
  ADD ("unregister", test_unregister, NULL);
  ADD ("star", test_star, NULL);
  ADD ("cseq-order", test_cseq_order, NULL);
  ADD ("instance-replaces", test_instance_replaces, NULL);
  ADD ("connection-closed", test_connection_closed, NULL);
  ADD ("limits", test_limits, "[server]\ndomains=example.com\n[registrar]\nmax-contacts=2\n");
  ADD ("bad-contacts", test_bad_contacts, NULL);
  ADD ("expires-by-timer", test_expires_by_timer, "[registrar]\nmin-expires=1\n");

  return g_test_run ();
}
