// Navigation generations. route() starts a new one on every hash change and every login/logout; a page that
// awaits the server draws only if no later navigation began meanwhile. Without this, a slow answer for the page
// the user has left (e.g. the geo-environment overview reloading after a logout) overwrites the page they are on.
let generation = 0;

// Returns the same test as navigationGuard() for the navigation it begins.
export function beginNavigation() {
  generation += 1;
  return navigationGuard();
}

// Called by a page before its first await: returns a test that is false once the user has navigated on.
export function navigationGuard() {
  const mine = generation;
  return () => mine === generation;
}
