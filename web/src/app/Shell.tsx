import { AppShell, Burger, Group, Menu, NavLink, ScrollArea, Select, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { Fragment, useEffect, type ReactNode } from 'react';
import { Link, Outlet, useLocation, useNavigate, useParams } from 'react-router';
import { call, resetCsrf } from '../api/client';
import { useApi } from '../api/hooks';
import { NAV } from './nav';
import { lastProduct, productPath, rememberProduct } from './product';
import { useSession } from './session';

/** The frame of every signed-in page: header (product switcher, user menu), side navigation, main content. */
export function Shell(): ReactNode {
  const [opened, { toggle, close }] = useDisclosure();
  const session = useSession();
  const { productKey } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const products = useApi('product.list', {});
  const current = productKey ?? lastProduct() ?? products.data?.[0]?.key;
  useEffect(() => {
    if (productKey !== undefined) rememberProduct(productKey);
  }, [productKey]);
  useEffect(close, [location.pathname, close]);

  const logOut = async (): Promise<void> => {
    try {
      await call('session.logout', {});
    } finally {
      resetCsrf();
      qc.clear();
      void navigate('/login');
    }
  };
  const switchProduct = (key: string | null): void => {
    if (key === null) return;
    // The same page on the other product when it is a product page, else its dashboard.
    const rest = productKey === undefined ? 'dashboard' : location.pathname.split('/').slice(3, 4).join('/') || 'dashboard';
    void navigate(productPath(key, rest));
  };
  const groups = [...new Set(NAV.map((n) => n.group))];

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: 'md', collapsed: { mobile: !opened } }} padding="lg">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="md" size="sm" aria-label="Toggle navigation" />
            <Text component={Link} to="/" fw={700} size="lg" c="indigo.9" style={{ textDecoration: 'none' }}>
              Dossier
            </Text>
            <Select
              aria-label="Product"
              placeholder="Product"
              data={(products.data ?? []).map((p) => ({ value: p.key, label: `${p.key} · ${p.name}` }))}
              value={current ?? null}
              onChange={switchProduct}
              allowDeselect={false}
              w={260}
              size="sm"
            />
          </Group>
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <UnstyledButton title="Your account: change password, log out">
                <Text size="sm" fw={500}>
                  {session.printedName}
                </Text>
                <Text size="xs" c="gray.7">
                  {session.username}
                </Text>
              </UnstyledButton>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item component={Link} to="/account/password">
                Change password
              </Menu.Item>
              <Menu.Item onClick={() => void logOut()}>Log out</Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <ScrollArea>
          {groups.map((g) => (
            <Fragment key={g}>
              <Text size="xs" fw={700} c="gray.7" tt="uppercase" px="sm" pt="sm" pb={4}>
                {g}
              </Text>
              {NAV.filter((n) => n.group === g).map((n) => {
                const to = n.path.startsWith('/') ? n.path : current === undefined ? undefined : productPath(current, n.path);
                if (to === undefined) return null;
                const active = location.pathname === to || location.pathname.startsWith(`${to}/`);
                return <NavLink key={n.label} component={Link} to={to} label={n.label} active={active} aria-current={active ? 'page' : undefined} />;
              })}
            </Fragment>
          ))}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <VisuallyHidden aria-live="polite">{location.pathname}</VisuallyHidden>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
