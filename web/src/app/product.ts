import { useParams } from 'react-router';

const LAST_PRODUCT = 'dossier.product';

/** The product of the page (`/p/:productKey/…`). */
export function useProductKey(): string {
  const { productKey } = useParams();
  if (productKey === undefined) throw new Error('useProductKey outside a product page');
  return productKey;
}

/** The product last opened in this browser, to come back to. */
export function lastProduct(): string | undefined {
  try {
    return localStorage.getItem(LAST_PRODUCT) ?? undefined;
  } catch {
    return undefined;
  }
}

export function rememberProduct(key: string): void {
  try {
    localStorage.setItem(LAST_PRODUCT, key);
  } catch {
    // private mode: nothing to remember with
  }
}

/** The URL of a product page: `productPath('RPM', 'records', 'SRS-3')` → `/p/RPM/records/SRS-3`. */
export function productPath(productKey: string, ...parts: string[]): string {
  return `/p/${encodeURIComponent(productKey)}/${parts.map((p) => p.split('/').map(encodeURIComponent).join('/')).join('/')}`;
}
