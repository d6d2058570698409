// Stands in for the "server-only" package, which throws outside a React Server Components
// bundle; tests import server modules directly.
export {};
