/* sws-json.h: JSON for the objects of the D-Bus API
 *
 * One serializer for every JSON the project prints (sipwsctl --json, the
 * HTTP API): it works on D-Bus property dictionaries, so the shape is the
 * D-Bus object's, whoever holds it.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* "CallId" → "call_id", "CSeq" → "cseq", "ListenUris" → "listen_uris" */
char     *sws_json_key_from_property      (const char *name);

/* An object with "path" (when `object_path` is not NULL) and one member
 * per property of the a{sv} dictionary: strings, numbers, booleans, string
 * arrays; object paths as strings, "/" (no object) as null. */
JsonNode *sws_json_object_from_properties (const char *object_path,
                                           GVariant   *properties);

/* Print a node, pretty or on one line, followed by a newline. */
char     *sws_json_to_string              (JsonNode   *node,
                                           gboolean    pretty);

G_END_DECLS
