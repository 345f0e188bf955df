/* test-proxy.c: calls and other requests through the proxy (RFC 3261 §16) */

#include "sip/sws-sip-writer.h"
#include "sws-test-sip.h"

typedef struct
{
  SwsServer *server;
  SwsProxy *proxy;
  SwsConnection *a;   /* alice, the caller */
  SwsConnection *b;   /* bob */
  SwsConnection *c;   /* bob's second device */
  SwsCall *call;
  guint calls_removed;
} Fixture;

static void
on_call_added (SwsProxy *proxy, SwsCall *call, gpointer user_data)
{
  Fixture *f = user_data;

  g_set_object (&f->call, call);
}

static void
on_call_removed (SwsProxy *proxy, SwsCall *call, gpointer user_data)
{
  ((Fixture *) user_data)->calls_removed++;
}

static void
reg (Fixture *f, SwsConnection *conn, const char *aor, const char *contact)
{
  g_autofree char *call_id = g_strdup_printf ("reg-%u", g_str_hash (contact));
  g_autofree char *bracketed = g_strdup_printf ("<%s>", contact);
  g_autofree char *text = sws_test_register (aor, bracketed, call_id, 1, NULL);
  g_autoptr(SwsSipMessage) r = sws_test_exchange (f->server, conn, text);

  g_assert_cmpuint (r->status, ==, 200);
}

static void
setup (Fixture *f, gconstpointer data)
{
  f->server = sws_test_server_new (NULL);
  f->proxy = sws_server_get_proxy (f->server);
  sws_proxy_set_call_linger (f->proxy, 0);
  f->a = sws_fake_connection_new ("192.0.2.1", 1001);
  f->b = sws_fake_connection_new ("192.0.2.2", 1002);
  f->c = sws_fake_connection_new ("192.0.2.3", 1003);
  sws_server_adopt_connection (f->server, f->a);
  sws_server_adopt_connection (f->server, f->b);
  sws_server_adopt_connection (f->server, f->c);
  g_signal_connect (f->proxy, "call-added", G_CALLBACK (on_call_added), f);
  g_signal_connect (f->proxy, "call-removed", G_CALLBACK (on_call_removed), f);
  reg (f, f->a, "alice@example.com", "sip:alice1@a.invalid;transport=ws");
  reg (f, f->b, "bob@example.com", "sip:bob1@b.invalid;transport=ws");
}

static void
teardown (Fixture *f, gconstpointer data)
{
  /* Whatever the test did, closing every flow must leave nothing behind:
   * no transaction, no call, and no timer but the two AORs (alice, bob)
   * remembered as known-but-offline. */
  sws_connection_close (f->a, 1000, NULL);
  sws_connection_close (f->b, 1000, NULL);
  sws_connection_close (f->c, 1000, NULL);
  sws_test_settle ();
  g_assert_cmpuint (sws_proxy_get_transaction_count (f->proxy), ==, 0);
  g_assert_cmpuint (sws_proxy_get_call_count (f->proxy), ==, 0);
  g_assert_cmpuint (sws_registrar_get_count (sws_server_get_registrar (f->server)), ==, 0);
  g_assert_cmpuint (sws_server_get_timer_count (f->server), ==, 2);

  g_signal_handlers_disconnect_by_data (f->proxy, f);
  g_clear_object (&f->call);
  g_clear_object (&f->a);
  g_clear_object (&f->b);
  g_clear_object (&f->c);
  g_clear_object (&f->server);
}

/* Drain the main context so that zero-length timers (call linger) run. */
static void
settle (void)
{
  sws_test_settle ();
}

static void
send (Fixture *f, SwsConnection *conn, const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  sws_server_handle_message (f->server, conn, bytes);
}

/* The next message `conn` received, parsed. */
static SwsSipMessage *
next (SwsConnection *conn)
{
  g_autofree char *text = sws_fake_connection_pop (SWS_FAKE_CONNECTION (conn));
  g_autoptr(GError) error = NULL;
  SwsSipMessage *msg = NULL;

  g_assert_nonnull (text);
  if (!sws_sip_message_parse_data (text, -1, &msg, &error))
    g_error ("unparsable: %s\n%s", error->message, text);
  return msg;
}

static void
nothing (SwsConnection *conn)
{
  g_autofree char *text = sws_fake_connection_pop (SWS_FAKE_CONNECTION (conn));

  if (text != NULL)
    g_error ("unexpected message:\n%s", text);
}

static char *
invite (const char *ruri, const char *call_id, const char *branch)
{
  const char *sdp = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n";

  return g_strdup_printf ("INVITE %s SIP/2.0\r\n"
                          "Via: SIP/2.0/WS a.invalid;branch=%s\r\n"
                          "Max-Forwards: 70\r\n"
                          "To: <sip:bob@example.com>\r\n"
                          "From: \"Alice\" <sip:alice@example.com>;tag=atag\r\n"
                          "Call-ID: %s\r\n"
                          "CSeq: 1 INVITE\r\n"
                          "Contact: <sip:alice1@a.invalid;transport=ws>\r\n"
                          "Content-Type: application/sdp\r\n"
                          "Content-Length: %zu\r\n\r\n%s",
                          ruri, branch, call_id, strlen (sdp), sdp);
}

/* A response from a UA to a request it received. */
static char *
respond (SwsSipMessage *request, guint status, const char *reason, const char *tag,
         const char *contact)
{
  GString *s = sws_sip_response_begin (request, status, reason, tag);
  g_autoptr(GBytes) bytes = NULL;
  const SwsHeader *rr;

  if (contact != NULL)
    g_string_append_printf (s, "Contact: <%s>\r\n", contact);
  /* §12.1.1: a UAS copies Record-Route into 2xx and 18x */
  rr = sws_sip_message_find (request, SWS_HDR_RECORD_ROUTE);
  if (rr != NULL && status > 100 && status < 300)
    g_string_append_printf (s, "Record-Route: %.*s\r\n", (int) rr->value.len, rr->value.p);
  bytes = sws_sip_message_end (s, NULL, NULL, 0);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static char *
header (SwsSipMessage *msg, const char *name)
{
  return sws_test_header (msg, name);
}

/* An in-dialog request from one side: Route from the Record-Route, the
 * Request-URI the other side's Contact. */
static char *
in_dialog (const char *method, const char *target, const char *route, const char *from,
           const char *to, guint cseq, const char *branch)
{
  return g_strdup_printf ("%s %s SIP/2.0\r\n"
                          "Via: SIP/2.0/WS x.invalid;branch=%s\r\n"
                          "Max-Forwards: 70\r\n"
                          "Route: %s\r\n"
                          "From: %s\r\nTo: %s\r\n"
                          "Call-ID: call-1\r\nCSeq: %u %s\r\n"
                          "Content-Length: 0\r\n\r\n",
                          method, target, branch, route, from, to, cseq, method);
}

static char *
establish (Fixture *f)
{
  g_autofree char *inv = invite ("sip:bob@example.com", "call-1", "z9hG4bKinv1");
  g_autoptr(SwsSipMessage) trying = NULL;
  g_autoptr(SwsSipMessage) fwd = NULL;
  g_autoptr(SwsSipMessage) ringing = NULL;
  g_autoptr(SwsSipMessage) ok = NULL;
  g_autofree char *r180 = NULL;
  g_autofree char *r200 = NULL;
  g_autofree char *via = NULL;
  g_autofree char *rr = NULL;

  send (f, f->a, inv);
  trying = next (f->a);
  g_assert_cmpuint (trying->status, ==, 100);
  g_assert_nonnull (f->call);
  g_assert_cmpuint (sws_call_get_state (f->call), ==, SWS_CALL_STATE_DIALING);

  fwd = next (f->b);
  g_assert_true (fwd->is_request);
  g_assert_cmpuint (fwd->method, ==, SWS_METHOD_INVITE);
  /* §16.5: the Request-URI becomes the registered Contact */
  g_assert_cmpmem (fwd->request_uri_text.p, fwd->request_uri_text.len,
                   "sip:bob1@b.invalid;transport=ws", 31);
  g_assert_cmpint (fwd->max_forwards, ==, 69);
  via = header (fwd, "Via");
  g_assert_true (g_str_has_prefix (via, "SIP/2.0/WS 127.0.0.1:5066;branch=z9hG4bK"));
  rr = header (fwd, "Record-Route");
  g_assert_nonnull (rr);
  g_assert_nonnull (strstr (rr, ";lr"));
  /* the SDP goes through untouched */
  g_assert_nonnull (g_strstr_len (fwd->body.p, fwd->body.len, "o=- 1 1 IN IP4"));

  r180 = respond (fwd, 180, "Ringing", "btag", "sip:bob1@b.invalid;transport=ws");
  send (f, f->b, r180);
  ringing = next (f->a);
  g_assert_cmpuint (ringing->status, ==, 180);
  g_assert_cmpuint (sws_call_get_state (f->call), ==, SWS_CALL_STATE_RINGING_OUT);
  {
    /* §16.7 step 3: only the client's own Via reaches the client */
    g_autofree char *v = header (ringing, "Via");

    g_assert_true (g_str_has_prefix (v, "SIP/2.0/WS a.invalid;branch=z9hG4bKinv1"));
    g_assert_null (strchr (v, ','));
  }

  r200 = respond (fwd, 200, "OK", "btag", "sip:bob1@b.invalid;transport=ws");
  send (f, f->b, r200);
  ok = next (f->a);
  g_assert_cmpuint (ok->status, ==, 200);
  g_assert_cmpuint (sws_call_get_state (f->call), ==, SWS_CALL_STATE_ACTIVE);
  g_assert_cmpuint (sws_call_get_answer_time (f->call), >, 0);
  nothing (f->a);
  nothing (f->b);
  return g_steal_pointer (&rr);
}

static void
test_basic_call (Fixture *f, gconstpointer data)
{
  g_autofree char *rr = establish (f);
  g_autofree char *ack = in_dialog ("ACK", "sip:bob1@b.invalid;transport=ws", rr,
                                    "<sip:alice@example.com>;tag=atag",
                                    "<sip:bob@example.com>;tag=btag", 1, "z9hG4bKack1");
  g_autofree char *bye = in_dialog ("BYE", "sip:bob1@b.invalid;transport=ws", rr,
                                    "<sip:alice@example.com>;tag=atag",
                                    "<sip:bob@example.com>;tag=btag", 2, "z9hG4bKbye1");
  g_autoptr(SwsSipMessage) fack = NULL;
  g_autoptr(SwsSipMessage) fbye = NULL;
  g_autoptr(SwsSipMessage) ok = NULL;
  g_autofree char *r200 = NULL;
  g_autofree char *route = NULL;

  /* ACK for 2xx goes end to end (§13.2.2.4), our Route removed */
  send (f, f->a, ack);
  fack = next (f->b);
  g_assert_cmpuint (fack->method, ==, SWS_METHOD_ACK);
  route = header (fack, "Route");
  g_assert_null (route);
  nothing (f->a);

  send (f, f->a, bye);
  fbye = next (f->b);
  g_assert_cmpuint (fbye->method, ==, SWS_METHOD_BYE);
  r200 = respond (fbye, 200, "OK", NULL, NULL);
  send (f, f->b, r200);
  ok = next (f->a);
  g_assert_cmpuint (ok->status, ==, 200);
  g_assert_cmpuint (ok->cseq_method, ==, SWS_METHOD_BYE);

  g_assert_cmpuint (sws_call_get_state (f->call), ==, SWS_CALL_STATE_TERMINATED);
  g_assert_cmpuint (sws_call_get_terminated_by (f->call), ==, SWS_CALL_PARTY_CALLER);
  g_assert_cmpuint (sws_call_get_termination_code (f->call), ==, 200);
  settle ();
  /* nothing left behind */
  g_assert_cmpuint (sws_proxy_get_transaction_count (f->proxy), ==, 0);
  g_assert_cmpuint (sws_proxy_get_call_count (f->proxy), ==, 0);
  g_assert_cmpuint (f->calls_removed, ==, 1);
}

static void
test_callee_bye_and_info (Fixture *f, gconstpointer data)
{
  g_autofree char *rr = establish (f);
  g_autofree char *info = in_dialog ("INFO", "sip:alice1@a.invalid;transport=ws", rr,
                                     "<sip:bob@example.com>;tag=btag",
                                     "<sip:alice@example.com>;tag=atag", 1, "z9hG4bKinfo");
  g_autofree char *bye = in_dialog ("BYE", "sip:alice1@a.invalid;transport=ws", rr,
                                    "<sip:bob@example.com>;tag=btag",
                                    "<sip:alice@example.com>;tag=atag", 2, "z9hG4bKbyeb");
  g_autoptr(SwsSipMessage) finfo = NULL;
  g_autoptr(SwsSipMessage) fbye = NULL;
  g_autoptr(SwsSipMessage) ok = NULL;
  g_autofree char *r200 = NULL;

  /* the other direction: callee to caller over the same Record-Route */
  send (f, f->b, info);
  finfo = next (f->a);
  g_assert_cmpuint (finfo->method, ==, SWS_METHOD_INFO);
  r200 = respond (finfo, 200, "OK", NULL, NULL);
  send (f, f->a, r200);
  ok = next (f->b);
  g_assert_cmpuint (ok->status, ==, 200);

  send (f, f->b, bye);
  fbye = next (f->a);
  g_assert_cmpuint (fbye->method, ==, SWS_METHOD_BYE);
  g_assert_cmpuint (sws_call_get_terminated_by (f->call), ==, SWS_CALL_PARTY_CALLEE);
}

static void
test_busy (Fixture *f, gconstpointer data)
{
  g_autofree char *inv = invite ("sip:bob@example.com", "call-2", "z9hG4bKinv2");
  g_autoptr(SwsSipMessage) trying = NULL;
  g_autoptr(SwsSipMessage) fwd = NULL;
  g_autoptr(SwsSipMessage) busy = NULL;
  g_autoptr(SwsSipMessage) ack = NULL;
  g_autofree char *r486 = NULL;
  g_autofree char *caller_ack = NULL;

  send (f, f->a, inv);
  trying = next (f->a);
  fwd = next (f->b);
  r486 = respond (fwd, 486, "Busy Here", "btag", NULL);
  send (f, f->b, r486);

  busy = next (f->a);
  g_assert_cmpuint (busy->status, ==, 486);
  /* §17.1.1.3: the proxy ACKs the callee's non-2xx itself */
  ack = next (f->b);
  g_assert_cmpuint (ack->method, ==, SWS_METHOD_ACK);
  g_assert_true (sws_str_equal (ack->top_via.branch, fwd->top_via.branch));
  g_assert_cmpuint (sws_call_get_state_reason (f->call), ==, SWS_CALL_REASON_REFUSED_OR_BUSY);
  g_assert_cmpuint (sws_call_get_termination_code (f->call), ==, 486);

  /* the caller's ACK is absorbed (§16.4: it matches our transaction) */
  caller_ack = g_strdup_printf ("ACK sip:bob@example.com SIP/2.0\r\n"
                                "Via: SIP/2.0/WS a.invalid;branch=z9hG4bKinv2\r\n"
                                "Max-Forwards: 70\r\nTo: <sip:bob@example.com>;tag=btag\r\n"
                                "From: \"Alice\" <sip:alice@example.com>;tag=atag\r\n"
                                "Call-ID: call-2\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n");
  send (f, f->a, caller_ack);
  nothing (f->b);
  nothing (f->a);
  settle ();
  g_assert_cmpuint (sws_proxy_get_transaction_count (f->proxy), ==, 0);
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autofree char *inv = invite ("sip:bob@example.com", "call-3", "z9hG4bKinv3");
  g_autoptr(SwsSipMessage) trying = NULL;
  g_autoptr(SwsSipMessage) fwd = NULL;
  g_autoptr(SwsSipMessage) ringing = NULL;
  g_autoptr(SwsSipMessage) cancel_ok = NULL;
  g_autoptr(SwsSipMessage) fcancel = NULL;
  g_autoptr(SwsSipMessage) terminated = NULL;
  g_autoptr(SwsSipMessage) ack = NULL;
  g_autofree char *r180 = NULL;
  g_autofree char *r487 = NULL;
  g_autofree char *r200c = NULL;
  g_autofree char *cancel = NULL;

  send (f, f->a, inv);
  trying = next (f->a);
  fwd = next (f->b);
  r180 = respond (fwd, 180, "Ringing", "btag", "sip:bob1@b.invalid;transport=ws");
  send (f, f->b, r180);
  ringing = next (f->a);

  /* §9.1: same branch as the INVITE, no Route */
  cancel = g_strdup_printf ("CANCEL sip:bob@example.com SIP/2.0\r\n"
                            "Via: SIP/2.0/WS a.invalid;branch=z9hG4bKinv3\r\n"
                            "Max-Forwards: 70\r\nTo: <sip:bob@example.com>\r\n"
                            "From: \"Alice\" <sip:alice@example.com>;tag=atag\r\n"
                            "Call-ID: call-3\r\nCSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n");
  send (f, f->a, cancel);
  cancel_ok = next (f->a);
  g_assert_cmpuint (cancel_ok->status, ==, 200);
  g_assert_cmpuint (cancel_ok->cseq_method, ==, SWS_METHOD_CANCEL);

  fcancel = next (f->b);
  g_assert_cmpuint (fcancel->method, ==, SWS_METHOD_CANCEL);
  g_assert_true (sws_str_equal (fcancel->top_via.branch, fwd->top_via.branch));
  g_assert_true (sws_str_equal (fcancel->request_uri_text, fwd->request_uri_text));
  r200c = respond (fcancel, 200, "OK", "btag", NULL);
  send (f, f->b, r200c);
  r487 = respond (fwd, 487, "Request Terminated", "btag", NULL);
  send (f, f->b, r487);

  terminated = next (f->a);
  g_assert_cmpuint (terminated->status, ==, 487);
  ack = next (f->b);
  g_assert_cmpuint (ack->method, ==, SWS_METHOD_ACK);
  g_assert_cmpuint (sws_call_get_state (f->call), ==, SWS_CALL_STATE_TERMINATED);
  g_assert_cmpuint (sws_call_get_state_reason (f->call), ==, SWS_CALL_REASON_CANCELLED);
  g_assert_cmpuint (sws_call_get_terminated_by (f->call), ==, SWS_CALL_PARTY_CALLER);
}

static void
test_fork (Fixture *f, gconstpointer data)
{
  g_autofree char *inv = invite ("sip:bob@example.com", "call-4", "z9hG4bKinv4");
  g_autoptr(SwsSipMessage) trying = NULL;
  g_autoptr(SwsSipMessage) fwd_b = NULL;
  g_autoptr(SwsSipMessage) fwd_c = NULL;
  g_autoptr(SwsSipMessage) ringing = NULL;
  g_autoptr(SwsSipMessage) ok = NULL;
  g_autoptr(SwsSipMessage) cancel = NULL;
  g_autoptr(SwsSipMessage) ack = NULL;
  g_autofree char *r180 = NULL;
  g_autofree char *r200 = NULL;
  g_autofree char *r487 = NULL;

  reg (f, f->c, "bob@example.com", "sip:bob2@c.invalid;transport=ws");
  send (f, f->a, inv);
  trying = next (f->a);
  fwd_b = next (f->b);
  fwd_c = next (f->c);
  g_assert_false (sws_str_equal (fwd_b->top_via.branch, fwd_c->top_via.branch));

  r180 = respond (fwd_c, 180, "Ringing", "ctag", "sip:bob2@c.invalid;transport=ws");
  send (f, f->c, r180);
  ringing = next (f->a);
  g_assert_cmpuint (ringing->status, ==, 180);

  /* the first 2xx wins; the other branch is CANCELled (§16.7 step 10) */
  r200 = respond (fwd_b, 200, "OK", "btag", "sip:bob1@b.invalid;transport=ws");
  send (f, f->b, r200);
  ok = next (f->a);
  g_assert_cmpuint (ok->status, ==, 200);
  cancel = next (f->c);
  g_assert_cmpuint (cancel->method, ==, SWS_METHOD_CANCEL);

  r487 = respond (fwd_c, 487, "Request Terminated", "ctag", NULL);
  send (f, f->c, r487);
  ack = next (f->c);
  g_assert_cmpuint (ack->method, ==, SWS_METHOD_ACK);
  /* the caller never hears of the losing branch */
  nothing (f->a);
  g_assert_cmpuint (sws_call_get_state (f->call), ==, SWS_CALL_STATE_ACTIVE);
  g_assert_cmpuint (sws_proxy_get_transaction_count (f->proxy), ==, 0);
}

static void
test_unknown_and_offline (Fixture *f, gconstpointer data)
{
  g_autofree char *i1 = invite ("sip:nobody@example.com", "call-5", "z9hG4bKinv5");
  g_autofree char *i2 = invite ("sip:bob@example.com", "call-6", "z9hG4bKinv6");
  g_autoptr(SwsSipMessage) r1 = NULL;
  g_autoptr(SwsSipMessage) r2 = NULL;

  send (f, f->a, i1);
  r1 = next (f->a);
  g_assert_cmpuint (r1->status, ==, 404);

  /* bob's only flow goes: known AOR, no binding */
  sws_connection_close (f->b, 1000, NULL);
  send (f, f->a, i2);
  r2 = next (f->a);
  g_assert_cmpuint (r2->status, ==, 480);
  nothing (f->a);
}

static void
test_message (Fixture *f, gconstpointer data)
{
  const char *text = "MESSAGE sip:bob@example.com SIP/2.0\r\n"
                     "Via: SIP/2.0/WS a.invalid;branch=z9hG4bKmsg1\r\n"
                     "Max-Forwards: 70\r\nTo: <sip:bob@example.com>\r\n"
                     "From: <sip:alice@example.com>;tag=m1\r\n"
                     "Call-ID: msg-1\r\nCSeq: 1 MESSAGE\r\n"
                     "Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello";
  g_autoptr(SwsSipMessage) fwd = NULL;
  g_autoptr(SwsSipMessage) ok = NULL;
  g_autofree char *r200 = NULL;

  send (f, f->a, text);
  fwd = next (f->b);
  g_assert_cmpuint (fwd->method, ==, SWS_METHOD_MESSAGE);
  g_assert_cmpmem (fwd->body.p, fwd->body.len, "hello", 5);
  g_assert_null (sws_sip_message_find (fwd, SWS_HDR_RECORD_ROUTE));
  nothing (f->a);   /* no 100 for non-INVITE */
  r200 = respond (fwd, 200, "OK", "b1", NULL);
  send (f, f->b, r200);
  ok = next (f->a);
  g_assert_cmpuint (ok->status, ==, 200);
  g_assert_cmpuint (sws_proxy_get_transaction_count (f->proxy), ==, 0);
  g_assert_null (f->call);
}

static void
test_message_forked (Fixture *f, gconstpointer data)
{
  const char *text = "MESSAGE sip:bob@example.com SIP/2.0\r\n"
                     "Via: SIP/2.0/WS a.invalid;branch=z9hG4bKmsg2\r\n"
                     "Max-Forwards: 70\r\nTo: <sip:bob@example.com>\r\n"
                     "From: <sip:alice@example.com>;tag=m2\r\n"
                     "Call-ID: msg-2\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n";
  g_autoptr(SwsSipMessage) to_b = NULL;
  g_autoptr(SwsSipMessage) to_c = NULL;
  g_autoptr(SwsSipMessage) ok = NULL;
  g_autofree char *r1 = NULL;
  g_autofree char *r2 = NULL;

  reg (f, f->c, "bob@example.com", "sip:bob2@c.invalid;transport=ws");
  send (f, f->a, text);
  to_b = next (f->b);
  to_c = next (f->c);
  r1 = respond (to_b, 200, "OK", "b1", NULL);
  r2 = respond (to_c, 200, "OK", "c1", NULL);
  send (f, f->b, r1);
  send (f, f->c, r2);
  /* §16.7: for a non-INVITE only the first final response goes upstream */
  ok = next (f->a);
  g_assert_cmpuint (ok->status, ==, 200);
  nothing (f->a);
  g_assert_cmpuint (sws_proxy_get_transaction_count (f->proxy), ==, 0);
}

static void
test_callee_disconnects (Fixture *f, gconstpointer data)
{
  g_autofree char *rr = establish (f);
  g_autoptr(SwsSipMessage) bye = NULL;
  g_autofree char *r200 = NULL;

  sws_connection_close (f->b, 1006, NULL);
  /* no ghost call: the caller is told */
  bye = next (f->a);
  g_assert_cmpuint (bye->method, ==, SWS_METHOD_BYE);
  g_assert_cmpmem (bye->request_uri_text.p, bye->request_uri_text.len,
                   "sip:alice1@a.invalid;transport=ws", 33);
  g_assert_true (sws_str_equal (bye->to.tag, sws_str_c ("atag")));
  g_assert_true (sws_str_equal (bye->from.tag, sws_str_c ("btag")));
  g_assert_cmpuint (sws_call_get_state_reason (f->call), ==, SWS_CALL_REASON_CONNECTION_LOST);
  g_assert_cmpuint (sws_call_get_terminated_by (f->call), ==, SWS_CALL_PARTY_CALLEE);
  g_assert_cmpuint (sws_call_get_termination_code (f->call), ==, 200);
  r200 = respond (bye, 200, "OK", NULL, NULL);
  send (f, f->a, r200);
  nothing (f->a);
  g_assert_cmpuint (sws_proxy_get_transaction_count (f->proxy), ==, 0);
}

static void
test_hangup (Fixture *f, gconstpointer data)
{
  g_autofree char *rr = establish (f);
  g_autoptr(SwsSipMessage) bye_a = NULL;
  g_autoptr(SwsSipMessage) bye_b = NULL;

  g_assert_true (sws_call_hangup (f->call));
  bye_b = next (f->b);
  bye_a = next (f->a);
  g_assert_cmpuint (bye_a->method, ==, SWS_METHOD_BYE);
  g_assert_cmpuint (bye_b->method, ==, SWS_METHOD_BYE);
  /* above the CSeq the caller used (1) */
  g_assert_cmpuint (bye_b->cseq, ==, 2);
  g_assert_cmpuint (sws_call_get_terminated_by (f->call), ==, SWS_CALL_PARTY_SERVER);
  g_assert_false (sws_call_hangup (f->call));
}

static void
test_hangup_early (Fixture *f, gconstpointer data)
{
  g_autofree char *inv = invite ("sip:bob@example.com", "call-7", "z9hG4bKinv7");
  g_autoptr(SwsSipMessage) trying = NULL;
  g_autoptr(SwsSipMessage) fwd = NULL;
  g_autoptr(SwsSipMessage) ringing = NULL;
  g_autoptr(SwsSipMessage) r487 = NULL;
  g_autoptr(SwsSipMessage) cancel = NULL;
  g_autofree char *r180 = NULL;

  send (f, f->a, inv);
  trying = next (f->a);
  fwd = next (f->b);
  r180 = respond (fwd, 180, "Ringing", "btag", "sip:bob1@b.invalid;transport=ws");
  send (f, f->b, r180);
  ringing = next (f->a);

  g_assert_true (sws_call_hangup (f->call));
  r487 = next (f->a);
  g_assert_cmpuint (r487->status, ==, 487);
  cancel = next (f->b);
  g_assert_cmpuint (cancel->method, ==, SWS_METHOD_CANCEL);
  g_assert_cmpuint (sws_call_get_state_reason (f->call), ==, SWS_CALL_REASON_ADMINISTRATIVE);
}

static void
test_loop (Fixture *f, gconstpointer data)
{
  const char *text = "MESSAGE sip:bob@example.com SIP/2.0\r\n"
                     "Via: SIP/2.0/WS a.invalid;branch=z9hG4bKloop\r\n"
                     "Max-Forwards: 70\r\nTo: <sip:bob@example.com>\r\n"
                     "From: <sip:alice@example.com>;tag=l1\r\n"
                     "Call-ID: loop-1\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n";
  g_autoptr(SwsSipMessage) fwd = NULL;
  g_autoptr(SwsSipMessage) r = NULL;
  g_autofree char *via = NULL;
  g_autofree char *back = NULL;

  send (f, f->a, text);
  fwd = next (f->b);
  via = header (fwd, "Via");
  /* bob sends it back unchanged, Request-URI and all: a loop (§16.3 step 4) */
  back = g_strdup_printf ("MESSAGE sip:bob@example.com SIP/2.0\r\n"
                          "Via: SIP/2.0/WS b.invalid;branch=z9hG4bKback\r\n"
                          "Via: %s\r\n"
                          "Via: SIP/2.0/WS a.invalid;branch=z9hG4bKloop\r\n"
                          "Max-Forwards: 68\r\nTo: <sip:bob@example.com>\r\n"
                          "From: <sip:alice@example.com>;tag=l1\r\n"
                          "Call-ID: loop-1\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n",
                          via);
  send (f, f->b, back);
  r = next (f->b);
  g_assert_cmpuint (r->status, ==, 482);
}

static void
test_forged_route (Fixture *f, gconstpointer data)
{
  g_autofree char *rr = establish (f);
  g_autofree char *forged = g_strdup (rr);
  g_autofree char *bye = NULL;
  g_autoptr(SwsSipMessage) r = NULL;
  char *mac = strstr (forged, ";sws=");

  /* flip the signature: the Route no longer names a flow */
  mac = strrchr (mac, '.') + 1;
  *mac = *mac == '0' ? '1' : '0';
  bye = in_dialog ("BYE", "sip:nobody@c.invalid;transport=ws", forged,
                   "<sip:alice@example.com>;tag=atag", "<sip:bob@example.com>;tag=btag", 2,
                   "z9hG4bKforged");
  send (f, f->c, bye);
  r = next (f->c);
  g_assert_cmpuint (r->status, ==, 481);
  nothing (f->b);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/sws/proxy/" path, Fixture, NULL, setup, fn, teardown)
  ADD ("basic-call", test_basic_call);
  ADD ("callee-bye-and-info", test_callee_bye_and_info);
  ADD ("busy", test_busy);
  ADD ("cancel", test_cancel);
  ADD ("fork", test_fork);
  ADD ("unknown-and-offline", test_unknown_and_offline);
  ADD ("message", test_message);
  ADD ("message-forked", test_message_forked);
  ADD ("callee-disconnects", test_callee_disconnects);
  ADD ("hangup", test_hangup);
  ADD ("hangup-early", test_hangup_early);
  ADD ("loop", test_loop);
  ADD ("forged-route", test_forged_route);

  return g_test_run ();
}
