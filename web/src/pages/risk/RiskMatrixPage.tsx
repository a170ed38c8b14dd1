import { Button } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { productPath, useProductKey } from '../../app/product';
import { PageHeader } from '../../components/PageHeader';
import { RiskHeatMap } from './RiskHeatMap';

/** `risk/matrix`: the risk matrix before and after controls; a cell lists its risks. */
export function RiskMatrixPage(): ReactNode {
  const productKey = useProductKey();
  return (
    <>
      <PageHeader
        title="Risk matrix"
        description="How many risks fall in each severity and probability cell, before and after their controls, judged by the risk policy in force."
        actions={
          <Button component={Link} to={productPath(productKey, 'risk')} variant="default">
            Risk table
          </Button>
        }
      />
      <RiskHeatMap productKey={productKey} />
    </>
  );
}
