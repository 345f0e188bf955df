/* sws-json.h: JSON for the objects of the D-Bus API
 *
 * One serializer for every JSON the project prints (sipwsctl --json, the
 * HTTP API): it works on D-Bus property dictionaries, so the shape is the
 * D-Bus object's, whoever holds it. The daemon feeds it
 * g_dbus_interface_skeleton_get_properties(), sipwsctl the cached
 * properties of its proxies; nothing here talks to a bus.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* "CallId" → "call_id", "CSeq" → "cseq", "ListenUris" → "listen_uris",
 * "RegId" → "reg_id": a word starts at an uppercase letter that follows
 * a lowercase letter or a digit. */
char     *sws_json_key_from_property      (const char *name);

/* A JSON value for one property value: strings, numbers and booleans as
 * themselves, object paths as strings but "/" (no object) as null, arrays
 * as arrays, dictionaries as objects. */
JsonNode *sws_json_node_from_variant      (GVariant   *value);

/* An object with "path" (when `object_path` is not NULL) and one member
 * per property of the a{sv} dictionary `properties` (may be NULL), in the
 * dictionary's order. */
JsonNode *sws_json_object_from_properties (const char *object_path,
                                           GVariant   *properties);

/* Names for the numbers of the D-Bus API (data/org.sipws.Server1.xml).
 * They are tokens scripts match on, so they are not translated. */
const char *sws_json_call_state_name     (guint state);
const char *sws_json_call_reason_name    (guint reason);
const char *sws_json_removed_reason_name (guint reason);

/* One event as `sipwsctl monitor --json` prints it and GET
 * /api/v1/events streams it: "time" (µs since the epoch), "event", then
 * when an object is concerned "path" and "object" (its properties, see
 * sws_json_object_from_properties()), then the members of `fields`
 * (may be NULL), copied. */
JsonNode *sws_json_event_new (gint64      time,
                              const char *event,
                              const char *object_path,
                              GVariant   *properties,
                              JsonObject *fields);

/* Print a node, pretty or on one line, followed by a newline. */
char     *sws_json_to_string              (JsonNode   *node,
                                           gboolean    pretty);

G_END_DECLS
