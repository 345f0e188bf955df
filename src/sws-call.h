/* sws-call.h: one INVITE dialog through the proxy, as the desktop sees it */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SWS_TYPE_CALL (sws_call_get_type ())
G_DECLARE_FINAL_TYPE (SwsCall, sws_call, SWS, CALL, GObject)

/* States follow ModemManager's MMCallState numbering (D-Bus API). */
typedef enum {
  SWS_CALL_STATE_UNKNOWN = 0,
  SWS_CALL_STATE_DIALING = 1,
  SWS_CALL_STATE_RINGING_OUT = 2,
  SWS_CALL_STATE_ACTIVE = 4,
  SWS_CALL_STATE_HELD = 5,
  SWS_CALL_STATE_TERMINATED = 7,
} SwsCallState;

/* Why the state changed; 0–6 as ModemManager's MMCallStateReason, the
 * rest ours (D-Bus API). */
typedef enum {
  SWS_CALL_REASON_UNKNOWN = 0,
  SWS_CALL_REASON_OUTGOING_STARTED = 1,
  SWS_CALL_REASON_ACCEPTED = 3,
  SWS_CALL_REASON_TERMINATED = 4,        /* a party hung up (BYE) */
  SWS_CALL_REASON_REFUSED_OR_BUSY = 5,   /* 486, 600, 603, 4xx from the callee */
  SWS_CALL_REASON_ERROR = 6,             /* 5xx, timeouts, unroutable */
  SWS_CALL_REASON_CANCELLED = 10,        /* the caller gave up before answer */
  SWS_CALL_REASON_CONNECTION_LOST = 11,  /* a party's WebSocket closed */
  SWS_CALL_REASON_ADMINISTRATIVE = 12,   /* Hangup() from D-Bus or the CLI */
} SwsCallStateReason;

typedef enum {
  SWS_CALL_PARTY_UNKNOWN = 0,
  SWS_CALL_PARTY_CALLER = 1,
  SWS_CALL_PARTY_CALLEE = 2,
  SWS_CALL_PARTY_SERVER = 3,
} SwsCallParty;

SwsCall      *sws_call_new                 (const char *call_id,
                                            const char *caller,
                                            const char *callee);

guint64       sws_call_get_id              (SwsCall *self);
const char   *sws_call_get_call_id         (SwsCall *self);
const char   *sws_call_get_caller          (SwsCall *self);
const char   *sws_call_get_callee          (SwsCall *self);
SwsCallState  sws_call_get_state           (SwsCall *self);
SwsCallStateReason sws_call_get_state_reason (SwsCall *self);
gint64        sws_call_get_start_time      (SwsCall *self);
gint64        sws_call_get_answer_time     (SwsCall *self);
gint64        sws_call_get_end_time        (SwsCall *self);
guint         sws_call_get_termination_code (SwsCall *self);
SwsCallParty  sws_call_get_terminated_by   (SwsCall *self);
/* The bindings the call runs between, or NULL when unknown (gone or never
 * registered); GObjects so the D-Bus bridge can map them to paths. */
GObject      *sws_call_get_caller_registration (SwsCall *self);
GObject      *sws_call_get_callee_registration (SwsCall *self);
gboolean      sws_call_is_terminated       (SwsCall *self);

/* Moves only forward (dialing → ringing-out → active → terminated); a
 * move back or out of terminated is ignored. Emits notify and
 * "state-changed". */
void          sws_call_set_state           (SwsCall            *self,
                                            SwsCallState        state,
                                            SwsCallStateReason  reason);
void          sws_call_terminate           (SwsCall            *self,
                                            SwsCallStateReason  reason,
                                            guint               code,
                                            SwsCallParty        by);
void          sws_call_set_registrations   (SwsCall *self,
                                            GObject *caller,
                                            GObject *callee);

/* Ask whoever runs the call to end it (CANCEL before answer, BYE after):
 * emits "hangup-requested"; FALSE when already terminated. */
gboolean      sws_call_hangup              (SwsCall *self);

G_END_DECLS
