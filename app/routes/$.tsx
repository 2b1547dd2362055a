/** Anything no other route matches is a 404, rendered by the root error boundary. */
export function loader() {
  throw new Response("There is nothing at this address. Check the link, or go back to the home page.", { status: 404 });
}

export default function NotFound() {
  return null;
}
