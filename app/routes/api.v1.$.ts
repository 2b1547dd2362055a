import { apiError } from "../models/api.server";

/** Unknown API paths answer in JSON, like the rest of the API. */
export function loader() {
  return apiError(404, "not_found", "There is no such API endpoint: see /api/v1/openapi.json.");
}
export function action() {
  return loader();
}
