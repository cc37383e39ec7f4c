import type { NextFunction, Request, Response } from "express";

/**
 * scimmy-routers turns startIndex and count into numbers by assigning to req.query, but in
 * Express 5 req.query is a getter that parses the URL afresh on every read, so the assignment is
 * lost and scimmy ignores pagination. Pin req.query to one object with the numbers in it.
 */
export function numericPagination(req: Request, _res: Response, next: NextFunction): void {
  const query: Record<string, unknown> = { ...req.query };
  for (const param of ["startIndex", "count"]) {
    const value = query[param];
    if (typeof value === "string" && /^-?\d+$/.test(value)) query[param] = Number(value);
  }
  Object.defineProperty(req, "query", { value: query, writable: true, configurable: true, enumerable: true });
  next();
}

/**
 * Entra ID sends `active` as the string "True"/"False" (in POST/PUT bodies and in PATCH values),
 * which scimmy rejects as a type error. Rewrite those to booleans before scimmy validates.
 */
export function acceptStringBooleans(req: Request, _res: Response, next: NextFunction): void {
  const body: unknown = req.body;
  if (/^\/Users(\/|$)/i.test(req.path) && isObject(body)) {
    coerceActive(body);
    if (Array.isArray(body.Operations)) {
      for (const operation of body.Operations) {
        if (!isObject(operation)) continue;
        if (typeof operation.path === "string" && operation.path.toLowerCase() === "active") {
          operation.value = asBoolean(operation.value);
        } else if (operation.path === undefined && isObject(operation.value)) {
          coerceActive(operation.value);
        }
      }
    }
  }
  next();
}

/**
 * A PATCH that removes members by value array (`path: members`, Entra's style) may carry
 * display or $ref beside each value. scimmy removes only members matching every sub-attribute
 * given, so a display that differs from ours would silently keep the member. Members are
 * identified by value alone.
 */
export function removeMembersByValue(req: Request, _res: Response, next: NextFunction): void {
  const body: unknown = req.body;
  if (req.method === "PATCH" && /^\/Groups\//i.test(req.path) && isObject(body) && Array.isArray(body.Operations)) {
    for (const operation of body.Operations) {
      if (
        isObject(operation) &&
        String(operation.op).toLowerCase() === "remove" &&
        String(operation.path).toLowerCase() === "members" &&
        Array.isArray(operation.value)
      ) {
        operation.value = operation.value.map((member: unknown) => (isObject(member) ? { value: member.value } : member));
      }
    }
  }
  next();
}

function coerceActive(record: Record<string, unknown>): void {
  if ("active" in record) record.active = asBoolean(record.active);
}

function asBoolean(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const lower = value.toLowerCase();
  return lower === "true" ? true : lower === "false" ? false : value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
