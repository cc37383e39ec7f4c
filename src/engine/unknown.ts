/**
 * The engine's stand-in, in a preview, for a string known only once applied: the id of an
 * account the run creates (sdk/go/common/resource/plugin/rpc.go, UnknownStringValue).
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
