import { useEffect, useRef, useState } from 'react';
import { HubConnectionBuilder, HubConnectionState, LogLevel } from '@microsoft/signalr';
import { getAccessToken } from '../auth/session';
import type { ReadRequestView } from './types';

export type LiveState = 'connecting' | 'live' | 'offline';

/**
 * Subscribes to the worklist hub's `readRequestChanged` for as long as the calling component is mounted; the server
 * sends each change only to connections allowed to see that request. Reconnects by itself; `onReconnected` lets the
 * page re-read what it may have missed while offline.
 */
export function useReadRequestUpdates(onChange: (r: ReadRequestView) => void, onReconnected?: () => void): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  const handlers = useRef({ onChange, onReconnected });
  handlers.current = { onChange, onReconnected };

  useEffect(() => {
    const connection = new HubConnectionBuilder()
      .withUrl('/hubs/worklist', { accessTokenFactory: async () => (await getAccessToken()) ?? '' })
      .withAutomaticReconnect([0, 2000, 5000, 10000, 30000])
      .configureLogging(LogLevel.Warning)
      .build();
    connection.on('readRequestChanged', (r: ReadRequestView) => handlers.current.onChange(r));
    connection.onreconnecting(() => setState('connecting'));
    connection.onreconnected(() => {
      setState('live');
      handlers.current.onReconnected?.();
    });
    connection.onclose(() => setState('offline'));
    let stopped = false;
    connection
      .start()
      .then(() => !stopped && setState('live'))
      .catch(() => !stopped && setState('offline'));
    return () => {
      stopped = true;
      if (connection.state !== HubConnectionState.Disconnected) void connection.stop();
    };
  }, []);
  return state;
}
