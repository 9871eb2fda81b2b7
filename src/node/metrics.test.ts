import { describe, expect, it } from 'vitest';
import { Metrics } from './metrics.ts';

describe('Metrics', () => {
  it('exposes the node metrics in Prometheus text', async () => {
    const m = new Metrics({ defaultMetrics: false });
    m.blockCommitted(5, 3, 0.004, 1_700_000_005_000);
    m.blockCommitted(6, 2, 0.02, 1_700_000_006_500);
    m.txResult(0);
    m.txResult(0);
    m.txResult(5);
    m.mempool(7);
    m.txRejected(4);
    m.rpcRequest('status', 'ok');
    m.rpcRequest('status', 'ok');
    m.rpcRequest('block', 'height_unavailable');
    m.blockInterval(0.5);
    const text = await m.text();
    expect(m.contentType).toContain('text/plain');
    const lines = text.split('\n');
    for (const line of [
      'bulwark_block_height 6',
      'bulwark_block_txs_total 5',
      'bulwark_tx_results_total{code="0"} 2',
      'bulwark_tx_results_total{code="5"} 1',
      'bulwark_mempool_size 7',
      'bulwark_mempool_rejected_total{code="4"} 1',
      'bulwark_rpc_requests_total{method="status",outcome="ok"} 2',
      'bulwark_rpc_requests_total{method="block",outcome="height_unavailable"} 1',
      'bulwark_commit_duration_seconds_count 2',
      'bulwark_commit_duration_seconds_bucket{le="0.005"} 1',
      // 1.5 s from the header times (the first block has no predecessor), 0.5 s given.
      'bulwark_block_interval_seconds_count 2',
      'bulwark_block_interval_seconds_sum 2',
      'bulwark_block_interval_seconds_bucket{le="0.5"} 1',
      'bulwark_block_interval_seconds_bucket{le="1"} 1',
      'bulwark_block_interval_seconds_bucket{le="1.5"} 2',
    ]) {
      expect(lines).toContain(line);
    }
    expect(text).not.toContain('process_cpu');
  });

  it('shows the risk figures of the risk end-block events', async () => {
    const m = new Metrics({ defaultMetrics: false });
    const market = (market: string, pfc: string, capEffective: string, imf: string) => ({
      type: 'risk_market',
      attributes: {
        market,
        oi: '0',
        pfc,
        capVault: '0',
        capSecurity: '0',
        capEffective,
        imf,
        mmf: '0',
      },
    });
    m.riskEvents([
      { type: 'transfer', attributes: { amount: '5uusd' } },
      { type: 'risk_summary', attributes: { coc: '1333333333333', pfcTotal: '5625000000' } },
      market('BTC-USD', '5625000000', '790123456790', '0.05'),
      market('ETH-USD', '0', '1000000000000', '0.111'),
    ]);
    const lines = (await m.text()).split('\n');
    for (const line of [
      'bulwark_risk_coc_uusd 1333333333333',
      'bulwark_risk_pfc_uusd{market="BTC-USD"} 5625000000',
      'bulwark_risk_pfc_uusd{market="ETH-USD"} 0',
      'bulwark_risk_oi_cap_uusd{market="BTC-USD"} 790123456790',
      'bulwark_margin_imf{market="BTC-USD"} 0.05',
      'bulwark_margin_imf{market="ETH-USD"} 0.111',
    ]) {
      expect(lines).toContain(line);
    }
  });

  it('keeps separate registries, each with the default process metrics', async () => {
    const a = new Metrics();
    const b = new Metrics({ labels: { moniker: 'val1' } });
    a.mempool(1);
    b.mempool(2);
    const [ta, tb] = await Promise.all([a.text(), b.text()]);
    expect(ta).toContain('bulwark_mempool_size 1');
    expect(tb).toContain('bulwark_mempool_size{moniker="val1"} 2');
    expect(ta).toContain('process_cpu_user_seconds_total');
    expect(tb).toContain('nodejs_heap_size_used_bytes');
  });
});
