import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { Navigate } from 'react-router';
import { useApi } from '../api/hooks';
import { EmptyState } from '../components/EmptyState';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { lastProduct, productPath } from './product';

/** `/`: the dashboard of the product last opened here, else of the first product. */
export function Home(): ReactNode {
  const products = useApi('product.list', {});
  if (products.isPending) {
    return (
      <Center p="xl" role="status" aria-label="Loading">
        <Loader />
      </Center>
    );
  }
  if (products.isError) return <ErrorAlert error={products.error} />;
  const last = lastProduct();
  const key = products.data.find((p) => p.key === last)?.key ?? products.data[0]?.key;
  if (key !== undefined) return <Navigate to={productPath(key, 'dashboard')} replace />;
  return (
    <>
      <PageHeader title="Welcome to Dossier" />
      <EmptyState title="No product yet">
        You have no role on any product. An administrator creates products (<code>dossier product create</code>) and grants roles on the Users page.
      </EmptyState>
    </>
  );
}

/** Any path the app does not know. */
export function NotFound(): ReactNode {
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState title="Nothing lives at this address">Check the link, or pick a page from the navigation.</EmptyState>
    </>
  );
}
