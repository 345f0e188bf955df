/* sws-proxy-private.h: what sws-proxy.c and sws-proxy-dialog.c share */
#pragma once

#include "sip/sws-sip-forward.h"
#include "sip/sws-sip-stats.h"
#include "sws-proxy.h"

G_BEGIN_DECLS

typedef struct _ServerTxn ServerTxn;
typedef struct _ClientTxn ClientTxn;
typedef struct _SwsDialog SwsDialog;

struct _SwsProxy
{
  GObject parent_instance;

  SwsConfig *config;
  SwsRegistrar *registrar;
  SwsTimerHeap *timers;          /* unowned, outlives us */
  char *local;                   /* "host:port" for Via and Record-Route */
  char *auth_realm;              /* [auth] realm, NULL without */
  GHashTable *server_txns;       /* key -> ServerTxn */
  GHashTable *client_txns;       /* branch -> ClientTxn */
  GHashTable *flows;             /* flow id -> SwsConnection (unowned) */
  GHashTable *dialogs;           /* Call-ID -> SwsDialog */
  GString *key_scratch;
  guint64 salt;
  guint8 secret[32];
  guint call_linger;
  guint64 sent;
  SwsSipStats sent_stats;
};

/* A request we received and answer (§17.2), with the branches it was
 * forwarded on (§16.6). */
struct _ServerTxn
{
  SwsProxy *proxy;
  char *key;
  SwsConnection *connection;     /* where responses go */
  SwsSipMessage *request;
  GPtrArray *branches;           /* ClientTxn, unowned */
  SwsSipMessage *best;           /* best non-2xx final so far (§16.7 step 6) */
  guint final_status;            /* what we sent upstream; 0 until then */
  guint fallback_status;         /* when no branch answered at all */
  gboolean cancelled;
  SwsDialog *dialog;             /* initial INVITE only */
  SwsTimer timer;
};

/* One branch: a request we sent on a flow (§17.1). */
struct _ClientTxn
{
  SwsProxy *proxy;
  char branch[SWS_BRANCH_MAX + 16];
  ServerTxn *server;             /* NULL for requests the proxy makes (BYE) */
  SwsConnection *connection;     /* the flow it went to */
  SwsSipMessage *request;        /* as sent, for CANCEL and ACK */
  char *request_uri;
  char *via;
  guint status;                  /* highest status seen, 0 none */
  gboolean cancel_pending;
  gboolean cancel_sent;
  SwsTimer timer;                /* B, C or F */
};

gboolean   sws_proxy_send              (SwsProxy      *self,
                                        SwsConnection *connection,
                                        GBytes        *bytes);
void       sws_proxy_reply             (SwsProxy      *self,
                                        SwsConnection *connection,
                                        SwsSipMessage *request,
                                        guint          status,
                                        const char    *reason,
                                        const char    *extra_headers);
void       sws_proxy_cancel_server_txn (SwsProxy  *self,
                                        ServerTxn *st);
void       sws_proxy_hangup_early      (SwsProxy  *self,
                                        ServerTxn *st);
/* A request the proxy itself sends in a dialog (BYE). */
void       sws_proxy_send_request      (SwsProxy      *self,
                                        SwsConnection *target,
                                        const char    *method,
                                        const char    *request_uri,
                                        const char    *from,
                                        const char    *to,
                                        const char    *call_id,
                                        guint32        cseq);
void       sws_proxy_emit_call_added   (SwsProxy *self,
                                        SwsCall  *call);
void       sws_proxy_emit_call_removed (SwsProxy *self,
                                        SwsCall  *call);

/* sws-proxy.c */
char      *sws_proxy_record_route_for  (SwsProxy      *self,
                                        SwsConnection *caller,
                                        SwsConnection *callee);

/* sws-proxy-txn.c */
const char *sws_proxy_reason_phrase    (guint status);
void       sws_server_txn_free         (ServerTxn *st);
void       sws_client_txn_free         (ClientTxn *ct);
ServerTxn *sws_server_txn_new          (SwsProxy      *self,
                                        SwsConnection *connection,
                                        SwsSipMessage *request);
void       sws_server_txn_remove       (SwsProxy  *self,
                                        ServerTxn *st);
/* All branches are final: send the best response if none went yet. */
void       sws_server_txn_maybe_finish (SwsProxy  *self,
                                        ServerTxn *st);
/* A branch ends, with the callee's response or a status of ours. */
void       sws_client_txn_final        (SwsProxy      *self,
                                        ClientTxn     *ct,
                                        guint          status,
                                        SwsSipMessage *response);
/* Forward `request` on one flow in a new client transaction. */
ClientTxn *sws_proxy_forward_branch    (SwsProxy      *self,
                                        ServerTxn     *st,
                                        SwsConnection *from,
                                        SwsSipMessage *request,
                                        SwsConnection *target,
                                        SwsStr         request_uri,
                                        guint          pop_routes,
                                        gboolean       pop_last_route,
                                        guint          index);

/* sws-proxy-dialog.c */
SwsDialog *sws_dialog_new              (SwsProxy      *self,
                                        ServerTxn     *invite,
                                        SwsConnection *caller,
                                        SwsSipMessage *request,
                                        GPtrArray     *targets);
void       sws_dialog_free             (SwsDialog *dialog);
/* The INVITE transaction is being freed. */
void       sws_dialog_forget_invite    (SwsDialog *dialog,
                                        ServerTxn *invite);
void       sws_dialog_provisional      (SwsProxy      *self,
                                        SwsDialog     *dialog,
                                        SwsSipMessage *response);
void       sws_dialog_answered         (SwsProxy      *self,
                                        SwsDialog     *dialog,
                                        ClientTxn     *branch,
                                        SwsSipMessage *response);
void       sws_dialog_final_response   (SwsProxy  *self,
                                        SwsDialog *dialog,
                                        guint      status);
void       sws_dialog_cancelled        (SwsProxy     *self,
                                        SwsDialog    *dialog,
                                        SwsCallParty  by);
void       sws_dialog_in_dialog_request (SwsProxy      *self,
                                         SwsConnection *connection,
                                         SwsSipMessage *request);
void       sws_dialog_connection_closed (SwsProxy      *self,
                                         SwsConnection *connection);

G_END_DECLS
