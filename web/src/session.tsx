import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { isSignedIn } from './auth/session';
import { api, errorMessage } from './api/http';
import type { Me } from './api/types';

/** What each role may open; the server enforces the same rules, this only decides what to show. */
export interface Abilities {
  portal: boolean;
  worklist: boolean;
  admin: boolean;
  readReports: boolean;
}

export function abilitiesOf(me: Me): Abilities {
  const reader = me.centre && (me.role === 'radiologist' || me.role === 'expert' || me.role === 'trainee' || me.role === 'admin');
  return {
    portal: !me.centre && me.role !== 'auditor',
    worklist: reader,
    admin: me.role === 'admin' && me.centre,
    readReports: reader && me.role !== 'trainee',
  };
}

/** Where a user lands on "/". */
export function homeOf(me: Me): string {
  const a = abilitiesOf(me);
  return a.worklist ? '/worklist' : a.portal ? '/portal' : a.admin ? '/admin' : '/nothing';
}

type SessionState =
  | { kind: 'signed-out' }
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; me: Me };

const Context = createContext<Me | null>(null);

/** Loads /api/me once per sign-in and follows sign-outs (an expired token included). */
export function useSessionState(): SessionState {
  const [state, setState] = useState<SessionState>(() => (isSignedIn() ? { kind: 'loading' } : { kind: 'signed-out' }));
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const out = () => setState({ kind: 'signed-out' });
    const changed = () => setGeneration((g) => g + 1);
    window.addEventListener('radbridge:signed-out', out);
    window.addEventListener('radbridge:signed-in', changed);
    return () => {
      window.removeEventListener('radbridge:signed-out', out);
      window.removeEventListener('radbridge:signed-in', changed);
    };
  }, []);
  useEffect(() => {
    if (!isSignedIn()) {
      setState({ kind: 'signed-out' });
      return;
    }
    setState({ kind: 'loading' });
    api<Me>('/api/me')
      .then((me) => setState({ kind: 'ready', me }))
      .catch((e: unknown) => setState(isSignedIn() ? { kind: 'error', message: errorMessage(e) } : { kind: 'signed-out' }));
  }, [generation]);
  return state;
}

export function MeProvider({ me, children }: { me: Me; children: ReactNode }) {
  return <Context.Provider value={me}>{children}</Context.Provider>;
}

export function useMe(): Me {
  const me = useContext(Context);
  if (!me) throw new Error('useMe outside a signed-in page');
  return me;
}
