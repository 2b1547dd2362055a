import { isRouteErrorResponse, useRouteError } from "@remix-run/react";

/** Errors on the public FAQ: no app chrome, a way back to the FAQ home. */
export function FaqErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <div className="faq">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <main id="main">
        <h1>{notFound ? "Page not found" : "Something went wrong"}</h1>
        <p>{notFound ? "There is no answer at this address. It may have been removed." : "Please try again in a moment."}</p>
        <p>
          <a href="/faq">Go to the help home page</a>
        </p>
      </main>
    </div>
  );
}
