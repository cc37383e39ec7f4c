// What one stack's checkpoint costs, read from the file the backend writes (compact JSON).
import { readFile, stat } from "node:fs/promises";

/** Fields Pulumi records per resource about where in the program it was registered. */
const POSITION_FIELDS = ["sourcePosition", "stackTrace"];

export async function analyseCheckpoint(file, { userType }) {
  const bytes = (await stat(file)).size;
  const checkpoint = JSON.parse(await readFile(file, "utf8"));
  const resources = checkpoint.checkpoint.latest.resources;
  const users = resources.filter((r) => r.type === userType);
  const user = users[0];
  if (!user) throw new Error(`no ${userType} resource in ${file}`);
  return {
    bytes,
    resources: resources.length,
    users: users.length,
    userBytes: jsonBytes(user),
    userPositionBytes: jsonBytes(user) - jsonBytes(withoutPositions(user)),
    userProviderBytes: "__provider" in (user.inputs ?? {}) ? providerBytes(user) : 0,
    userFrames: user.stackTrace?.length ?? 0,
    // Re-serialised both ways, so the difference is exact even if Go escapes a few characters differently.
    positionBytes: jsonBytes(checkpoint) - jsonBytes(mapResources(checkpoint, withoutPositions)),
    sample: user,
  };
}

function jsonBytes(value) {
  return Buffer.byteLength(JSON.stringify(value));
}

function withoutPositions(resource) {
  return Object.fromEntries(Object.entries(resource).filter(([key]) => !POSITION_FIELDS.includes(key)));
}

/** The serialised closure is stored twice per resource: once in inputs, once in outputs. */
function providerBytes(resource) {
  return [resource.inputs, resource.outputs].reduce((sum, props) => sum + (props?.__provider ? jsonBytes(props.__provider) : 0), 0);
}

function mapResources(checkpoint, fn) {
  const latest = { ...checkpoint.checkpoint.latest, resources: checkpoint.checkpoint.latest.resources.map(fn) };
  return { ...checkpoint, checkpoint: { ...checkpoint.checkpoint, latest } };
}
