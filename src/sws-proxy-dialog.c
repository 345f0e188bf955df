/* sws-proxy-dialog.c: calls through the proxy (INVITE dialogs, RFC 3261 §12)
 *
 * A proxy needs no dialog state to route, but the desktop wants to see
 * calls, and the server must be able to end one: when a party's WebSocket
 * closes (the other gets a BYE, so no ghost call stays up) or when asked
 * to hang up. For that it remembers, per Call-ID, the two flows, the
 * Contact and tag of each side and the highest CSeq each side used.
 */

#define G_LOG_DOMAIN "sws-proxy"

#include "config.h"

#include "sws-proxy-private.h"

struct _SwsDialog
{
  SwsProxy *proxy;
  SwsCall *call;
  char *call_id;
  ServerTxn *invite;             /* while the initial INVITE is pending */
  SwsConnection *caller;
  SwsConnection *callee;         /* after the answer */
  char *caller_from;             /* From value of the INVITE, with its tag */
  char *caller_contact;
  char *callee_to;               /* To value of the 2xx, with its tag */
  char *callee_tag;
  char *callee_contact;
  guint32 caller_cseq;
  guint32 callee_cseq;
  guint answered_code;           /* the 2xx that confirmed the dialog */
  SwsCallParty cancelled_by;
  SwsCallStateReason cancel_reason;
  SwsTimer linger;
  gulong hangup_id;
};

static void on_hangup_requested (SwsCall *call, gpointer user_data);

/* The INVITE transaction is decided: the two stop pointing at each other. */
static void
detach_invite (SwsDialog *dialog)
{
  if (dialog->invite != NULL)
    dialog->invite->dialog = NULL;
  dialog->invite = NULL;
}

void
sws_dialog_forget_invite (SwsDialog *dialog,
                          ServerTxn *invite)
{
  if (dialog->invite == invite)
    dialog->invite = NULL;
}

void
sws_dialog_free (SwsDialog *dialog)
{
  sws_timer_heap_cancel (dialog->proxy->timers, &dialog->linger);
  detach_invite (dialog);
  g_clear_signal_handler (&dialog->hangup_id, dialog->call);
  sws_proxy_emit_call_removed (dialog->proxy, dialog->call);
  g_clear_object (&dialog->call);
  g_clear_object (&dialog->caller);
  g_clear_object (&dialog->callee);
  g_free (dialog->call_id);
  g_free (dialog->caller_from);
  g_free (dialog->caller_contact);
  g_free (dialog->callee_to);
  g_free (dialog->callee_tag);
  g_free (dialog->callee_contact);
  g_free (dialog);
}

static void
on_linger_over (SwsTimer *timer,
                gpointer  user_data)
{
  SwsDialog *dialog = user_data;

  g_hash_table_remove (dialog->proxy->dialogs, dialog->call_id);
}

/* An ended call stays visible for a while, then goes. */
static void
end_call (SwsProxy           *self,
          SwsDialog          *dialog,
          SwsCallStateReason  reason,
          guint               code,
          SwsCallParty        by)
{
  guint linger;

  if (code == 0)
    code = dialog->answered_code;
  if (!sws_call_is_terminated (dialog->call))
    {
      sws_call_terminate (dialog->call, reason, code, by);
      g_info ("call %s ended (reason %u, code %u)", dialog->call_id, reason, code);
    }
  g_clear_object (&dialog->caller);
  g_clear_object (&dialog->callee);
  linger = self->call_linger != G_MAXUINT ? self->call_linger
                                          : sws_config_get_call_linger (self->config);
  sws_timer_heap_schedule (self->timers, &dialog->linger,
                           g_get_monotonic_time () + (gint64) linger * G_USEC_PER_SEC);
}

static char *
contact_uri (SwsSipMessage *msg)
{
  SwsValueIter iter;
  SwsStr value;
  SwsNameAddr na;

  sws_value_iter_init (&iter, msg, SWS_HDR_CONTACT);
  if (sws_value_iter_next (&iter, &value) && sws_name_addr_parse (value, FALSE, &na, NULL))
    {
      SwsStr uri = na.uri_text;

      /* The target of the BYEs we send: a Request-URI has no headers
       * part (RFC 3261 §19.1.5, RFC 4475 escruri), nor has a dialog's
       * Contact (§19.1.1, Table 1). A peer that sent one anyway would
       * leave us with a BYE that does not parse, and its call up. */
      if (SWS_STR_IS_SET (na.uri.headers))
        uri.len = (gsize) (na.uri.headers.p - 1 - uri.p);
      return sws_str_dup (uri);
    }
  return NULL;
}

static char *
uri_text_of (const SwsNameAddr *na)
{
  return SWS_STR_IS_SET (na->uri_text) ? sws_str_dup (na->uri_text) : g_strdup ("");
}

static SwsRegistration *
binding_on_flow (SwsProxy          *self,
                 const SwsNameAddr *from,
                 SwsConnection     *flow)
{
  g_autofree char *aor = sws_uri_to_aor (&from->uri);
  GPtrArray *bindings = aor ? sws_registrar_lookup (self->registrar, aor) : NULL;

  for (guint i = 0; bindings != NULL && i < bindings->len; i++)
    if (sws_registration_get_connection (bindings->pdata[i]) == flow)
      return bindings->pdata[i];
  return NULL;
}

SwsDialog *
sws_dialog_new (SwsProxy      *self,
                ServerTxn     *invite,
                SwsConnection *caller,
                SwsSipMessage *request,
                GPtrArray     *targets)
{
  SwsDialog *dialog = g_new0 (SwsDialog, 1);
  const SwsHeader *from = sws_sip_message_find (request, SWS_HDR_FROM);
  g_autofree char *caller_uri = uri_text_of (&request->from);
  g_autofree char *callee_uri = sws_str_dup (request->request_uri_text);
  g_autofree char *caller_contact = contact_uri (request);
  SwsRegistration *caller_reg = NULL;

  dialog->proxy = self;
  dialog->invite = invite;
  dialog->call_id = sws_str_dup (request->call_id);
  dialog->caller = g_object_ref (caller);
  dialog->caller_from = sws_str_dup (from->value);
  dialog->caller_contact = g_steal_pointer (&caller_contact);
  dialog->caller_cseq = request->cseq;
  sws_timer_init (&dialog->linger, on_linger_over, dialog);

  dialog->call = sws_call_new (dialog->call_id, caller_uri, callee_uri);
  if (dialog->caller_contact != NULL)
    caller_reg = sws_registrar_find_contact (self->registrar, dialog->caller_contact);
  /* The contact may be one the caller never registered: its binding is
   * then the one for its From AOR on the flow the INVITE came on. */
  if (caller_reg == NULL || sws_registration_get_connection (caller_reg) != caller)
    caller_reg = binding_on_flow (self, &request->from, caller);
  sws_call_set_registrations (dialog->call, G_OBJECT (caller_reg),
                              targets->len == 1 ? targets->pdata[0] : NULL);
  dialog->hangup_id = g_signal_connect (dialog->call, "hangup-requested",
                                        G_CALLBACK (on_hangup_requested), dialog);

  /* A Call-ID reused while an older call lingers replaces it. */
  g_hash_table_replace (self->dialogs, dialog->call_id, dialog);
  g_info ("call %s: %s -> %s", dialog->call_id, caller_uri, callee_uri);
  sws_proxy_emit_call_added (self, dialog->call);
  return dialog;
}

void
sws_dialog_provisional (SwsProxy      *self,
                        SwsDialog     *dialog,
                        SwsSipMessage *response)
{
  if (response->status == 180 || response->status == 183)
    sws_call_set_state (dialog->call, SWS_CALL_STATE_RINGING_OUT,
                        SWS_CALL_REASON_OUTGOING_STARTED);
}

void
sws_dialog_answered (SwsProxy      *self,
                     SwsDialog     *dialog,
                     ClientTxn     *branch,
                     SwsSipMessage *response)
{
  const SwsHeader *to;
  SwsRegistration *callee_reg;

  detach_invite (dialog);
  if (response == NULL)
    return;
  to = sws_sip_message_find (response, SWS_HDR_TO);
  dialog->answered_code = response->status;
  dialog->callee = g_object_ref (branch->connection);
  dialog->callee_to = sws_str_dup (to->value);
  dialog->callee_tag = sws_str_dup (response->to.tag);
  dialog->callee_contact = contact_uri (response);
  callee_reg = sws_registrar_find_contact (self->registrar, branch->request_uri);
  sws_call_set_registrations (dialog->call, NULL, G_OBJECT (callee_reg));
  sws_call_set_state (dialog->call, SWS_CALL_STATE_ACTIVE, SWS_CALL_REASON_ACCEPTED);
}

static SwsCallStateReason
reason_for_status (guint status)
{
  if (status == 487)
    return SWS_CALL_REASON_CANCELLED;
  if (status == 408 || (status >= 500 && status < 600))
    return SWS_CALL_REASON_ERROR;
  return SWS_CALL_REASON_REFUSED_OR_BUSY;
}

void
sws_dialog_final_response (SwsProxy  *self,
                           SwsDialog *dialog,
                           guint      status)
{
  if (status < 300)
    return;
  detach_invite (dialog);
  if (dialog->cancelled_by != SWS_CALL_PARTY_UNKNOWN)
    end_call (self, dialog, dialog->cancel_reason, status, dialog->cancelled_by);
  else
    end_call (self, dialog, reason_for_status (status), status,
              status == 408 || status == 480 ? SWS_CALL_PARTY_SERVER : SWS_CALL_PARTY_CALLEE);
}

void
sws_dialog_cancelled (SwsProxy     *self,
                      SwsDialog    *dialog,
                      SwsCallParty  by)
{
  if (dialog->cancelled_by == SWS_CALL_PARTY_UNKNOWN)
    {
      dialog->cancelled_by = by;
      dialog->cancel_reason = by == SWS_CALL_PARTY_CALLER ? SWS_CALL_REASON_CANCELLED
                                                          : SWS_CALL_REASON_ADMINISTRATIVE;
    }
}

void
sws_dialog_in_dialog_request (SwsProxy      *self,
                              SwsConnection *connection,
                              SwsSipMessage *request)
{
  g_autofree char *call_id = sws_str_dup (request->call_id);
  SwsDialog *dialog = g_hash_table_lookup (self->dialogs, call_id);
  SwsCallParty by;

  if (dialog == NULL || dialog->callee == NULL)
    return;
  /* A forked INVITE may have made other dialogs with the same Call-ID
   * (§13.2.2.4): only the tracked one's requests count. */
  if (!sws_str_equal (connection == dialog->caller ? request->to.tag : request->from.tag,
                      sws_str_c (dialog->callee_tag)))
    return;
  if (connection == dialog->caller)
    {
      by = SWS_CALL_PARTY_CALLER;
      dialog->caller_cseq = MAX (dialog->caller_cseq, request->cseq);
    }
  else if (connection == dialog->callee)
    {
      by = SWS_CALL_PARTY_CALLEE;
      dialog->callee_cseq = MAX (dialog->callee_cseq, request->cseq);
    }
  else
    return;

  if (request->method == SWS_METHOD_BYE)
    end_call (self, dialog, SWS_CALL_REASON_TERMINATED, 200, by);
}

/* BYE on behalf of the server (§15.1.1): to the callee as if from the
 * caller and to the caller as if from the callee, each with a CSeq above
 * what that side used. */
static void
send_byes (SwsProxy  *self,
           SwsDialog *dialog,
           gboolean   to_caller,
           gboolean   to_callee)
{
  if (to_callee && dialog->callee != NULL && dialog->callee_contact != NULL &&
      !sws_connection_is_closed (dialog->callee))
    sws_proxy_send_request (self, dialog->callee, "BYE", dialog->callee_contact,
                            dialog->caller_from, dialog->callee_to, dialog->call_id,
                            dialog->caller_cseq + 1);
  if (to_caller && dialog->caller != NULL && dialog->caller_contact != NULL &&
      !sws_connection_is_closed (dialog->caller))
    sws_proxy_send_request (self, dialog->caller, "BYE", dialog->caller_contact,
                            dialog->callee_to, dialog->caller_from, dialog->call_id,
                            dialog->callee_cseq + 1);
}

void
sws_dialog_connection_closed (SwsProxy      *self,
                              SwsConnection *connection)
{
  g_autoptr(GPtrArray) hit = g_ptr_array_new ();
  GHashTableIter iter;
  SwsDialog *dialog;

  g_hash_table_iter_init (&iter, self->dialogs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &dialog))
    if (!sws_call_is_terminated (dialog->call) &&
        (dialog->caller == connection || dialog->callee == connection))
      g_ptr_array_add (hit, dialog);

  for (guint i = 0; i < hit->len; i++)
    {
      dialog = hit->pdata[i];
      if (dialog->callee != NULL)
        {
          /* Confirmed: the survivor must not stay in a call with nobody. */
          SwsCallParty lost = dialog->caller == connection ? SWS_CALL_PARTY_CALLER
                                                           : SWS_CALL_PARTY_CALLEE;

          send_byes (self, dialog, dialog->callee == connection, dialog->caller == connection);
          end_call (self, dialog, SWS_CALL_REASON_CONNECTION_LOST, 0, lost);
        }
      else if (dialog->caller == connection)
        {
          /* Early, caller gone: stop the ringing. */
          if (dialog->invite != NULL)
            sws_proxy_cancel_server_txn (self, dialog->invite);
          end_call (self, dialog, SWS_CALL_REASON_CONNECTION_LOST, 0, SWS_CALL_PARTY_CALLER);
        }
      /* Early and a callee flow closed: its branch ends with 480 and the
       * call ends with the best response, as any failed branch. */
    }
}

static void
on_hangup_requested (SwsCall  *call,
                     gpointer  user_data)
{
  SwsDialog *dialog = user_data;
  SwsProxy *self = dialog->proxy;

  if (sws_call_is_terminated (call))
    return;
  if (dialog->invite != NULL)
    {
      sws_dialog_cancelled (self, dialog, SWS_CALL_PARTY_SERVER);
      sws_proxy_hangup_early (self, dialog->invite);
      return;
    }
  send_byes (self, dialog, TRUE, TRUE);
  end_call (self, dialog, SWS_CALL_REASON_ADMINISTRATIVE, 0, SWS_CALL_PARTY_SERVER);
}

/* ---- listings ----------------------------------------------------------- */

GPtrArray *
sws_proxy_list_calls (SwsProxy *self)
{
  GPtrArray *calls = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  SwsDialog *dialog;

  g_hash_table_iter_init (&iter, self->dialogs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &dialog))
    g_ptr_array_add (calls, g_object_ref (dialog->call));
  return calls;
}

guint
sws_proxy_get_call_count (SwsProxy *self)
{
  return g_hash_table_size (self->dialogs);
}

guint
sws_proxy_get_active_call_count (SwsProxy *self)
{
  GHashTableIter iter;
  SwsDialog *dialog;
  guint n = 0;

  g_hash_table_iter_init (&iter, self->dialogs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &dialog))
    if (!sws_call_is_terminated (dialog->call))
      n++;
  return n;
}
