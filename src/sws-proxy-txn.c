/* sws-proxy-txn.c: the proxy's transactions (RFC 3261 §16.6–§16.10, §17)
 *
 * A server transaction per request received, a client transaction per
 * branch it is forwarded on; responses are matched to branches by our
 * branch parameter and collected into the caller's final response
 * (§16.7). Over WebSocket nothing is retransmitted, so the only timers
 * are the ones that stop waiting: B/F, C and H, all on the one heap.
 */

#define G_LOG_DOMAIN "sws-proxy"

#include "config.h"

#include "sip/sws-sip-forward.h"
#include "sip/sws-sip-transaction.h"
#include "sip/sws-sip-writer.h"
#include "sws-proxy-private.h"

const char *
sws_proxy_reason_phrase (guint status)
{
  switch (status)
    {
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 480: return "Temporarily Unavailable";
    case 481: return "Call/Transaction Does Not Exist";
    case 482: return "Loop Detected";
    case 487: return "Request Terminated";
    case 500: return "Server Internal Error";
    case 503: return "Service Unavailable";
    default: return "Error";
    }
}

/* ---- transactions ------------------------------------------------------- */

void
sws_server_txn_free (ServerTxn *st)
{
  sws_timer_heap_cancel (st->proxy->timers, &st->timer);
  for (guint i = 0; i < st->branches->len; i++)
    ((ClientTxn *) st->branches->pdata[i])->server = NULL;
  g_ptr_array_unref (st->branches);
  g_clear_pointer (&st->best, sws_sip_message_unref);
  g_clear_pointer (&st->request, sws_sip_message_unref);
  g_clear_object (&st->connection);
  if (st->dialog != NULL)
    sws_dialog_forget_invite (st->dialog, st);
  g_free (st->key);
  g_free (st);
}

void
sws_client_txn_free (ClientTxn *ct)
{
  sws_timer_heap_cancel (ct->proxy->timers, &ct->timer);
  if (ct->server != NULL)
    g_ptr_array_remove_fast (ct->server->branches, ct);
  g_clear_pointer (&ct->request, sws_sip_message_unref);
  g_clear_object (&ct->connection);
  g_free (ct->request_uri);
  g_free (ct->via);
  g_free (ct);
}

void
sws_server_txn_remove (SwsProxy  *self,
                   ServerTxn *st)
{
  g_hash_table_remove (self->server_txns, st->key);
}

static void
client_txn_remove (SwsProxy  *self,
                   ClientTxn *ct)
{
  g_hash_table_remove (self->client_txns, ct->branch);
}

static void
on_server_timer (SwsTimer *timer,
                 gpointer  user_data)
{
  ServerTxn *st = user_data;

  /* Timer H (§17.2.1): no ACK came for our non-2xx final; or the linger
   * after a 2xx is over. Either way the transaction is done. */
  sws_server_txn_remove (st->proxy, st);
}

ServerTxn *
sws_server_txn_new (SwsProxy      *self,
                SwsConnection *connection,
                SwsSipMessage *request)
{
  ServerTxn *st = g_new0 (ServerTxn, 1);

  st->proxy = self;
  st->connection = g_object_ref (connection);
  st->request = sws_sip_message_ref (request);
  st->branches = g_ptr_array_new ();
  sws_sip_server_key (request, request->method, self->key_scratch);
  st->key = g_strdup (self->key_scratch->str);
  sws_timer_init (&st->timer, on_server_timer, st);
  g_hash_table_replace (self->server_txns, st->key, st);
  return st;
}

/* Send the final response of a server transaction and decide how long it
 * stays (to absorb the ACK of a non-2xx, §17.2.1). */
static void
server_txn_send_final (SwsProxy      *self,
                       ServerTxn     *st,
                       SwsSipMessage *response,
                       guint          status)
{
  if (response != NULL)
    {
      g_autoptr(GBytes) bytes = sws_sip_forward_response (response);

      sws_proxy_send (self, st->connection, bytes);
    }
  else
    sws_proxy_reply (self, st->connection, st->request, status, sws_proxy_reason_phrase (status), NULL);

  if (st->final_status == 0)
    st->final_status = status;
  if (st->dialog != NULL)
    sws_dialog_final_response (self, st->dialog, status);

  if (st->request->method == SWS_METHOD_INVITE && status >= 300)
    sws_timer_heap_schedule (self->timers, &st->timer, g_get_monotonic_time () + SWS_TIMER_H);
  else if (st->branches->len == 0)
    sws_server_txn_remove (self, st);
}

static guint
response_rank (guint status)
{
  /* §16.7 step 6: 6xx first, then the lowest class; 503 is turned into
   * 500 when sent upstream, so it ranks as a 5xx. */
  if (status >= 600)
    return 0;
  return status;
}

/* All branches are final and no 2xx was sent: send the best (§16.7). */
void
sws_server_txn_maybe_finish (SwsProxy  *self,
                         ServerTxn *st)
{
  if (st->branches->len > 0)
    return;
  /* Nobody left to answer, or to send an ACK for Timer H to wait for. */
  if (sws_connection_is_closed (st->connection))
    {
      sws_server_txn_remove (self, st);
      return;
    }
  if (st->final_status != 0)
    {
      if (st->final_status < 300 || st->request->method != SWS_METHOD_INVITE)
        sws_server_txn_remove (self, st);
      return;
    }
  if (st->best != NULL)
    {
      g_autoptr(SwsSipMessage) best = sws_sip_message_ref (st->best);

      server_txn_send_final (self, st, best, best->status);
    }
  else
    server_txn_send_final (self, st, NULL,
                           st->cancelled ? 487 : st->fallback_status ? st->fallback_status : 408);
}

static void
send_cancel (SwsProxy  *self,
             ClientTxn *ct)
{
  g_autoptr(GBytes) bytes = NULL;
  const SwsHeader *h;
  GString *s;

  ct->cancel_sent = TRUE;
  /* §9.1: same Request-URI, Call-ID, From, To, CSeq number and Via
   * (branch) as the request being cancelled. */
  s = sws_sip_request_begin ("CANCEL", sws_str_c (ct->request_uri), ct->via);
  h = sws_sip_message_find (ct->request, SWS_HDR_FROM);
  g_string_append_printf (s, "From: %.*s\r\n", (int) h->value.len, h->value.p);
  h = sws_sip_message_find (ct->request, SWS_HDR_TO);
  g_string_append_printf (s, "To: %.*s\r\n", (int) h->value.len, h->value.p);
  g_string_append_printf (s, "Call-ID: %.*s\r\nCSeq: %u CANCEL\r\n",
                          (int) ct->request->call_id.len, ct->request->call_id.p,
                          ct->request->cseq);
  bytes = sws_sip_message_end (s, NULL, NULL, 0);
  sws_proxy_send (self, ct->connection, bytes);
  sws_timer_heap_schedule (self->timers, &ct->timer, g_get_monotonic_time () + SWS_TIMER_F);
}

/* CANCEL a branch now if it is ringing; otherwise when it starts (§9.1:
 * never before a provisional response). */
static void
cancel_branch (SwsProxy  *self,
               ClientTxn *ct)
{
  if (ct->cancel_sent || ct->status >= 200 || ct->request->method != SWS_METHOD_INVITE)
    return;
  if (ct->status >= 100)
    send_cancel (self, ct);
  else
    ct->cancel_pending = TRUE;
}

void
sws_proxy_cancel_server_txn (SwsProxy  *self,
                             ServerTxn *st)
{
  st->cancelled = TRUE;
  for (guint i = 0; i < st->branches->len; i++)
    cancel_branch (self, st->branches->pdata[i]);
}

/* §17.1.1.3: the ACK for a non-2xx final is the client transaction's own. */
static void
send_ack (SwsProxy      *self,
          ClientTxn     *ct,
          SwsSipMessage *response)
{
  g_autoptr(GBytes) bytes = NULL;
  const SwsHeader *from = sws_sip_message_find (ct->request, SWS_HDR_FROM);
  const SwsHeader *to = sws_sip_message_find (response, SWS_HDR_TO);
  GString *s;

  s = sws_sip_request_begin ("ACK", sws_str_c (ct->request_uri), ct->via);
  g_string_append_printf (s, "From: %.*s\r\nTo: %.*s\r\n",
                          (int) from->value.len, from->value.p,
                          (int) to->value.len, to->value.p);
  g_string_append_printf (s, "Call-ID: %.*s\r\nCSeq: %u ACK\r\n",
                          (int) ct->request->call_id.len, ct->request->call_id.p,
                          ct->request->cseq);
  bytes = sws_sip_message_end (s, NULL, NULL, 0);
  sws_proxy_send (self, ct->connection, bytes);
}

/* A branch is over: with a response from the callee, or a status we
 * made up (408 on a timer, 480 when its flow closed). */
void
sws_client_txn_final (SwsProxy      *self,
                  ClientTxn     *ct,
                  guint          status,
                  SwsSipMessage *response)
{
  ServerTxn *st = ct->server;

  ct->status = status;
  /* §17.1.1.3: a non-2xx final to an INVITE is ACKed by the branch itself,
   * whether or not anyone upstream still waits for it. */
  if (response != NULL && status >= 300 && ct->request->method == SWS_METHOD_INVITE)
    send_ack (self, ct, response);
  if (st == NULL)
    {
      client_txn_remove (self, ct);
      return;
    }

  if (status < 300)
    {
      /* §16.7 step 5: every 2xx to an INVITE goes upstream at once; for
       * other methods only the first final response does. */
      if (response != NULL &&
          (st->final_status == 0 || ct->request->method == SWS_METHOD_INVITE))
        {
          g_autoptr(GBytes) bytes = sws_sip_forward_response (response);

          sws_proxy_send (self, st->connection, bytes);
        }
      if (st->final_status == 0)
        {
          st->final_status = status;
          if (st->dialog != NULL)
            sws_dialog_answered (self, st->dialog, ct, response);
        }
      /* §16.7 step 10: the other branches are no longer wanted. */
      for (guint i = 0; i < st->branches->len; i++)
        if (st->branches->pdata[i] != ct)
          cancel_branch (self, st->branches->pdata[i]);
    }
  else
    {
      if (response != NULL &&
          (st->best == NULL || response_rank (status) < response_rank (st->best->status)))
        {
          g_clear_pointer (&st->best, sws_sip_message_unref);
          st->best = sws_sip_message_ref (response);
        }
      else if (response == NULL && st->fallback_status == 0)
        st->fallback_status = status;
      /* §16.7 step 6: a 6xx ends the search. */
      if (status >= 600)
        sws_proxy_cancel_server_txn (self, st);
    }

  client_txn_remove (self, ct);
  sws_server_txn_maybe_finish (self, st);
}

static void
on_client_timer (SwsTimer *timer,
                 gpointer  user_data)
{
  ClientTxn *ct = user_data;
  SwsProxy *self = ct->proxy;

  /* Timer C with a provisional response: CANCEL, then behave as if a
   * 408 came (§16.8). Timers B and F, or no answer to our CANCEL: 408. */
  if (ct->request->method == SWS_METHOD_INVITE && ct->status >= 100 && !ct->cancel_sent)
    {
      ServerTxn *st = ct->server;

      /* Upstream the branch counts as a 408 at once (§16.8); the branch
       * itself stays, to ACK the callee's 487. */
      send_cancel (self, ct);
      if (st != NULL)
        {
          g_ptr_array_remove_fast (st->branches, ct);
          ct->server = NULL;
          if (st->fallback_status == 0)
            st->fallback_status = 408;
          sws_server_txn_maybe_finish (self, st);
        }
      return;
    }
  g_debug ("branch %s timed out", ct->branch);
  sws_client_txn_final (self, ct, ct->cancel_sent && ct->server && ct->server->cancelled ? 487 : 408,
                    NULL);
}

/* Forward `request` to one flow in a new client transaction. */
ClientTxn *
sws_proxy_forward_branch (SwsProxy        *self,
                ServerTxn       *st,
                SwsConnection   *from,
                SwsSipMessage   *request,
                SwsConnection   *target,
                SwsStr           request_uri,
                guint            pop_routes,
                gboolean         pop_last_route,
                guint            index)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *record_route = NULL;
  SwsForwardEdits edits = { 0 };
  char branch[SWS_BRANCH_MAX];
  ClientTxn *ct;

  sws_sip_compute_branch (request, self->salt, branch);
  ct = g_new0 (ClientTxn, 1);
  ct->proxy = self;
  ct->server = st;
  ct->connection = g_object_ref (target);
  g_snprintf (ct->branch, sizeof ct->branch, "%s.%u", branch, index);
  ct->request_uri = SWS_STR_IS_SET (request_uri) ? sws_str_dup (request_uri)
                                                 : sws_str_dup (request->request_uri_text);
  ct->via = g_strdup_printf ("SIP/2.0/%s %s;branch=%s",
                             sws_connection_get_transport (target), self->local, ct->branch);
  sws_timer_init (&ct->timer, on_client_timer, ct);

  /* §16.6 step 4: stay on the path of dialogs; our URI names both flows. */
  if (request->method == SWS_METHOD_INVITE || request->method == SWS_METHOD_SUBSCRIBE ||
      request->method == SWS_METHOD_REFER)
    {
      if (!SWS_STR_IS_SET (request->to.tag))
        record_route = sws_proxy_record_route_for (self, from, target);
    }

  edits.request_uri = request_uri;
  edits.via = ct->via;
  edits.record_route = record_route;
  edits.pop_routes = pop_routes;
  edits.pop_last_route = pop_last_route;
  edits.max_forwards = request->max_forwards < 0 ? 70 : request->max_forwards - 1;
  edits.consumed_realm = self->auth_realm;
  bytes = sws_sip_forward_request (request, &edits);

  /* Keep the forwarded request for CANCEL and ACK (§9.1, §17.1.1.3). It
   * parses, being the received one with well-formed edits; should it not,
   * the received one serves (only its Request-URI and Via differ). */
  if (!sws_sip_message_parse (bytes, &ct->request, NULL))
    {
      g_clear_pointer (&ct->request, sws_sip_message_unref);
      ct->request = sws_sip_message_ref (request);
    }

  g_hash_table_replace (self->client_txns, ct->branch, ct);
  if (st != NULL)
    g_ptr_array_add (st->branches, ct);
  sws_timer_heap_schedule (self->timers, &ct->timer,
                           g_get_monotonic_time () +
                           (request->method == SWS_METHOD_INVITE ? SWS_TIMER_B : SWS_TIMER_F));
  sws_proxy_send (self, target, bytes);
  return ct;
}

void
sws_proxy_send_request (SwsProxy      *self,
                        SwsConnection *target,
                        const char    *method,
                        const char    *request_uri,
                        const char    *from,
                        const char    *to,
                        const char    *call_id,
                        guint32        cseq)
{
  g_autoptr(GBytes) bytes = NULL;
  ClientTxn *ct;
  GString *s;

  ct = g_new0 (ClientTxn, 1);
  ct->proxy = self;
  ct->connection = g_object_ref (target);
  g_snprintf (ct->branch, sizeof ct->branch, "z9hG4bK%08x%08x.s", g_random_int (), g_random_int ());
  ct->request_uri = g_strdup (request_uri);
  ct->via = g_strdup_printf ("SIP/2.0/%s %s;branch=%s",
                             sws_connection_get_transport (target), self->local, ct->branch);
  sws_timer_init (&ct->timer, on_client_timer, ct);

  s = sws_sip_request_begin (method, sws_str_c (request_uri), ct->via);
  g_string_append_printf (s, "From: %s\r\nTo: %s\r\nCall-ID: %s\r\nCSeq: %u %s\r\n"
                          "User-Agent: sipws/" PACKAGE_VERSION "\r\n",
                          from, to, call_id, cseq, method);
  bytes = sws_sip_message_end (s, NULL, NULL, 0);
  if (!sws_sip_message_parse (bytes, &ct->request, NULL))
    {
      g_warning ("Cannot build a %s for call %s: the dialog holds malformed values",
                 method, call_id);
      sws_client_txn_free (ct);
      return;
    }

  /* No server transaction: the response is absorbed when it comes. */
  g_hash_table_replace (self->client_txns, ct->branch, ct);
  sws_timer_heap_schedule (self->timers, &ct->timer, g_get_monotonic_time () + SWS_TIMER_F);
  sws_proxy_send (self, target, bytes);
}

void
sws_proxy_hangup_early (SwsProxy  *self,
                        ServerTxn *st)
{
  if (st->final_status != 0)
    return;
  sws_proxy_cancel_server_txn (self, st);
  /* The caller hears at once; the callee's 487 is absorbed later. */
  server_txn_send_final (self, st, NULL, 487);
}

/* ---- responses ---------------------------------------------------------- */

/* Is there a well-formed Via below ours, for the response to go back by? */
static gboolean
has_via_below_ours (const SwsSipMessage *response)
{
  SwsValueIter iter;
  SwsStr value;
  SwsVia via;

  sws_value_iter_init (&iter, response, SWS_HDR_VIA);
  return sws_value_iter_next (&iter, NULL) &&
         sws_value_iter_next (&iter, &value) &&
         sws_via_parse (value, &via, NULL);
}

void
sws_proxy_handle_response (SwsProxy      *self,
                           SwsConnection *connection,
                           SwsSipMessage *response)
{
  SwsStr branch;
  char key[SWS_BRANCH_MAX + 16];
  ClientTxn *ct;
  ServerTxn *st;

  if (!sws_sip_response_branch (response, &branch) || branch.len >= sizeof key)
    return;
  memcpy (key, branch.p, branch.len);
  key[branch.len] = '\0';
  ct = g_hash_table_lookup (self->client_txns, key);
  if (ct == NULL)
    {
      g_debug ("response %u for %s matches no transaction, dropped", response->status, key);
      return;
    }

  /* The answer to our own CANCEL (same branch, §9.1) ends nothing. */
  if (response->cseq_method == SWS_METHOD_CANCEL)
    return;
  if (response->cseq_method != ct->request->method)
    return;

  st = ct->server;
  /* §16.7 step 3: with our Via gone, nothing would be left to route the
   * response by (a callee that copied the Via of our CANCEL into its 487
   * did this): it is not forwarded, and does not count; the branch ends
   * by its timer. Forwarded, it would reach the caller as an unparsable
   * message. */
  if (st != NULL && !has_via_below_ours (response))
    {
      g_debug ("response %u for %s has no Via to forward it by, dropped",
               response->status, key);
      return;
    }
  if (response->status < 200)
    {
      if (ct->status < 100)
        ct->status = response->status;
      if (ct->request->method == SWS_METHOD_INVITE)
        sws_timer_heap_schedule (self->timers, &ct->timer,
                                 g_get_monotonic_time () +
                                 (gint64) sws_config_get_invite_timeout (self->config) *
                                 G_USEC_PER_SEC);
      if (ct->cancel_pending)
        {
          send_cancel (self, ct);
          return;
        }
      /* §16.7 step 5: provisionals go upstream, except our 100s' kin. */
      if (response->status == 100 || st == NULL || st->final_status != 0)
        return;
      {
        g_autoptr(GBytes) bytes = sws_sip_forward_response (response);

        sws_proxy_send (self, st->connection, bytes);
      }
      if (st->dialog != NULL)
        sws_dialog_provisional (self, st->dialog, response);
      return;
    }

  sws_client_txn_final (self, ct, response->status, response);
}
