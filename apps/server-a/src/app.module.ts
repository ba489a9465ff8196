import { type DynamicModule, Module } from '@nestjs/common';
import { type ServerRuntime } from '@app/core';
import { ToolsModule } from '@app/platform';
import { FinanceModule } from './finance/finance.module.js';
import { FINANCE_VIEWS } from './finance/finance.views.js';
import { FinancialNewsTool } from './finance/financial-news.tool.js';
import { PortfolioTool } from './finance/portfolio.tool.js';
import { StockPriceTool } from './finance/stock-price.tool.js';

/** Server A: the shared tool platform with the finance tools. */
@Module({})
export class AppModule {
  static forRoot(runtime: ServerRuntime): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ToolsModule.forRoot({
          runtime,
          handlers: [StockPriceTool, PortfolioTool, FinancialNewsTool],
          imports: [FinanceModule.forRoot(runtime.env)],
          views: FINANCE_VIEWS,
        }),
      ],
    };
  }
}
