export function collapseCatalogSlashes(url: string): string;
export function collapseCatalogSlashes<T>(url: T): T;
