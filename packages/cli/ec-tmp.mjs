import { init } from 'echarts';
const c = init(null, null, { renderer: 'svg', ssr: true, width: 300, height: 200 });
c.setOption({ animation:false, xAxis:{type:'category',data:['a']}, yAxis:{}, series:[{type:'bar',data:[1]}]});
console.log(c.renderToSVGString().slice(0,80));
